"""What runs in a notebook's kernel: grade the cells it ran, once, in a fresh sandboxed process.

A forwardpass notebook's grading cell calls ``grade_cells``; every test cell after it then asserts
one check's verdict from that result. The score comes from ``python -m graders check``, which runs
the code of the cells in the sandboxed engine: no object, class or monkeypatch that the notebook's
cells left in the kernel takes part, and nothing the student's code prints reaches a test cell.

What this cannot stop on its own: code in the kernel that targets the test cells themselves (an
IPython hook that rewrites them, a patched ``subprocess``), because nbgrader runs them in the
student's kernel. ``graders.notebooks.autograde`` closes that gap during ``nbgrader autograde``.
This module imports no torch and nothing of the grader's: it stays cheap in the student's kernel.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graders import i18n
from graders.i18n import _

ROOT = Path(__file__).resolve().parents[2]
# What reaches `python -m graders check` from the kernel's environment: the course's settings (which
# nbgrader_config.py sets where the course grades) and the grader's own.
COURSE_SETTINGS = ("FORWARDPASS_COURSE", "FORWARDPASS_SECRET_SEED")
PASSED_ON = (
    *COURSE_SETTINGS,
    "FORWARDPASS_SOLUTIONS",
    "FORWARDPASS_ISOLATION",
    "FORWARDPASS_ENGINE_SERVICE",
    "FORWARDPASS_STATE",
    "TMPDIR",
)
TIMEOUT_SECONDS = 600


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Nothing written to stderr while this runs reaches the cell's output: nbgrader scores a test
    cell 0 for any stderr output, and a warning (a PyTorch UserWarning, a C++ "[W ...]" line
    written straight to file descriptor 2) says nothing about the checks."""
    with contextlib.suppress(Exception):
        sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
            warnings.simplefilter("ignore")
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


@dataclass(frozen=True)
class Verdicts:
    """One exercise's results from ``python -m graders check --json``, or why there are none."""

    exercise_id: str
    report: dict[str, Any] | None  # the exercise's object in the JSON contract
    problem: str | None = None
    hidden: bool = False  # whether the hidden checks ran (where the course grades)

    def verdict(self, check_id: str) -> tuple[bool, str]:
        """Whether the check passed, and forwardpass's message about it. A check that did not run
        because it is hidden and this is not the course's grading passes, saying nothing."""
        with quiet():
            if self.report is None:
                return False, _("forwardpass could not grade this notebook: {problem}").format(problem=self.problem)
            for check in self.report.get("checks", []):
                if check.get("id") == check_id:
                    return bool(check.get("passed")), str(check.get("message", ""))
            if not self.hidden:
                return True, ""
            return False, _("forwardpass ran no check {check} for {exercise}").format(
                check=repr(check_id), exercise=self.exercise_id
            )

    def summary(self) -> str:
        return summary(self.report) if self.report is not None else f"forwardpass: {self.problem}"


def summary(report: dict[str, Any]) -> str:
    """A few lines for the grading cell's output: the score, and each check's outcome."""
    lines = [f"forwardpass: {report['id']} {report['score']:g}/{report['max_score']:g}"]
    if report.get("error"):
        lines.append(f"  {report['error']}")
    for check in report["checks"]:
        mark = "✓" if check["passed"] else "✗"
        hidden = " " + _("(hidden)") if check["visibility"] == "hidden" else ""
        lines.append(f"  {mark} {check['points']:g}/{check['max_points']:g}  {check['id']}{hidden}")
        if not check["passed"] and not report.get("error"):
            lines.append(f"      {check['message']}")
    return "\n".join(lines)


def notebook_json(cells: Sequence[str]) -> str:
    """A minimal notebook with one code cell per source, for ``python -m graders check``."""
    code = [
        {"cell_type": "code", "metadata": {}, "source": text, "outputs": [], "execution_count": None} for text in cells
    ]
    return json.dumps({"cells": code, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def grade_code(exercise_id: str, cells: Sequence[str], hidden: bool = False, language: str | None = None) -> Verdicts:
    """Grade ``cells`` (code, in the order they ran) as ``exercise_id`` in a fresh process, its
    messages in ``language`` (None: as the course or the environment chooses)."""
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "LANG": "C.UTF-8",
        "NO_COLOR": "1",
        **{name: os.environ[name] for name in PASSED_ON if name in os.environ},
    }
    with tempfile.TemporaryDirectory(prefix="forwardpass-notebook-") as folder:
        path = Path(folder) / f"{exercise_id}.ipynb"
        path.write_text(notebook_json(cells), encoding="utf-8")
        command = [sys.executable, "-m", "graders", "check", str(path), "--exercise", exercise_id, "--json"]
        try:
            done = subprocess.run(
                command + (["--all"] if hidden else []) + (["--lang", language] if language else []),
                cwd=ROOT,
                env=environment,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=TIMEOUT_SECONDS,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            return Verdicts(
                exercise_id, None, _("python -m graders check did not finish ({error})").format(error=error)
            )
    try:
        if done.returncode not in (0, 1):
            raise ValueError
        (report,) = json.loads(done.stdout)["exercises"]
    except (ValueError, KeyError, TypeError):
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        failed = _("python -m graders check exited with status {status}: {tail}")
        return Verdicts(exercise_id, None, failed.format(status=done.returncode, tail=tail))
    return Verdicts(exercise_id, report, hidden=hidden)


def executed_cells() -> list[str]:
    """The code of every cell this kernel ran before the one running now, in order."""
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:
        raise RuntimeError("grade_cells() grades a notebook's cells: run it in a Jupyter kernel")
    history = shell.history_manager.input_hist_raw  # [""], then every cell run, the running one last
    return [str(text) for text in history[1:-1]]


def course_grades() -> bool:
    """Whether this kernel runs where the course grades (``nbgrader autograde`` with the course's
    nbgrader_config.py, which sets the course's settings): then the hidden checks run too."""
    return any(os.environ.get(name) for name in COURSE_SETTINGS)


def grade_cells(exercise_id: str, hidden: bool | None = None, language: str | None = None) -> Verdicts:
    """Grade the cells this kernel ran before the current one, print the result, and return it;
    with the hidden checks where the course grades (``hidden`` None) or as asked; in ``language``, the
    notebook's, when it is not English.

    Run the notebook top to bottom first (Kernel → Restart & Run All): the code graded is every
    cell this kernel ran, in the order it ran them, as it is nbgrader's run of a submission."""
    if language is not None:
        i18n.use(language)  # the kernel's own words too: it is this notebook's process
    with quiet():
        verdicts = grade_code(exercise_id, executed_cells(), course_grades() if hidden is None else hidden, language)
    print(verdicts.summary())
    return verdicts
