"""The learner's loop: each command a self-learner runs, timed as a whole process, through the warm
engine service and the way it ran before it (no service: an engine, and torch, of the command's own).

On a scratch copy of the stubs, with state of its own, each figure the median of ``RUNS`` runs of
``python -m graders ...`` (what ``make`` runs, less make's own few milliseconds):

- check, all 14 stubs (the learner's progress screen) and one exercise, with the service warm;
- the first check after a reboot: no service running yet (this one starts it);
- hint, reset and solution (before the file passes): hint without the catalog of outlines imports
  the specs and torch, as it did before; reset restores a stub over the learner's edit; solution
  grades the file;
- watch: from starting it to its first result on the screen.

Then ``graders.bench.bulk`` gives the bulk grader's figures, per (submission, exercise).
"""

from __future__ import annotations

import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from graders import registry
from graders.bench.watch import upto

RUNS = 5
EX01 = "exercises/ex01_my_model.py"  # the scratch copy's, never the checkout's own


@dataclass(frozen=True)
class Row:
    label: str
    args: tuple[str, ...]
    target: str
    fresh_service: bool = False  # stop the service before each run: the first command after a reboot
    fresh_catalog: bool = False  # without the service, also without the catalog (as before it)
    edited: str | None = None  # a file the learner edits before each run (which the command undoes)


ROWS = (
    Row("check, all 14 stubs: progress", ("check", "exercises"), "≤ 0.5 s"),
    Row("check EX=01", ("check", EX01), "≤ 0.3 s"),
    Row("first check after a reboot", ("check", "exercises"), "no slower", fresh_service=True),
    Row("hint EX=01", ("hint", "01"), "≤ 0.3 s", fresh_catalog=True),
    Row("reset EX=01", ("reset", EX01), "≤ 0.3 s", edited=EX01),
    Row("solution EX=01, not passing", ("solution", EX01), "≤ 0.3 s"),
)


class Loop:
    """A scratch learner: a copy of the stubs, state of its own, and a command line."""

    def __init__(self, folder: Path, service: bool):
        self.folder = folder
        shutil.copytree(registry.EXERCISES, folder / "exercises", ignore=shutil.ignore_patterns("__pycache__"))
        self.env = {
            **os.environ,
            "PYTHONPATH": str(registry.ROOT),
            "NO_COLOR": "1",
            "FORWARDPASS_STATE": str(folder / "state"),
            "FORWARDPASS_ENGINE_SERVICE": "on" if service else "off",
        }
        self.service = service

    def run(self, *args: str, **extra: str) -> None:
        command = [sys.executable, "-m", "graders", *args]
        subprocess.run(command, cwd=self.folder, env={**self.env, **extra}, capture_output=True, check=False)

    def seconds(self, row: Row) -> float:
        """The median time of ``RUNS`` runs of the row's command."""
        times = []
        for index in range(RUNS):
            extra = {}
            if row.fresh_service and self.service:
                self.run("engine", "stop")
            if row.fresh_catalog and not self.service:
                extra["FORWARDPASS_CACHE"] = str(self.folder / f"cache-{row.label}-{index}")
            if row.edited:
                with open(self.folder / row.edited, "a", encoding="utf-8") as edited:
                    edited.write("# the learner's edit\n")
            started = time.monotonic()
            self.run(*row.args, **extra)
            times.append(time.monotonic() - started)
        return statistics.median(times)

    def first_watch_result(self) -> float:
        """Seconds from starting ``watch`` on one file to its result on the screen, median of ``RUNS``."""
        times = []
        for _run in range(RUNS):
            started = time.monotonic()
            command = [sys.executable, "-m", "graders", "watch", EX01]
            env = {**self.env, "PYTHONUNBUFFERED": "1"}
            watcher = subprocess.Popen(
                command, cwd=self.folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
            )
            try:
                upto(iter(watcher.stdout), "ex01_my_model · ")
                times.append(time.monotonic() - started)
            finally:
                watcher.send_signal(signal.SIGINT)
                watcher.wait(timeout=60)
        return statistics.median(times)

    def stop(self) -> None:
        if self.service:
            self.run("engine", "stop")


def main() -> None:
    load = os.getloadavg()[0]
    print(
        f"The learner's loop: whole commands, median of {RUNS} runs, through the warm engine service and without "
        f"it (load average {load:.1f} before starting: other work on the machine slows every figure)"
    )
    print(f"  {'':34} {'service':>9} {'no service':>11}   target")
    with tempfile.TemporaryDirectory(prefix="forwardpass-bench-loop-") as scratch:
        loops = {service: Loop(Path(scratch) / f"service-{service}", service) for service in (True, False)}
        warm = loops[True]
        try:
            for loop in loops.values():  # the service started; the references and the catalog cached
                loop.run("check", "exercises")
            for row in ROWS:
                figures = [loops[service].seconds(row) for service in (True, False)]
                show(row.label, figures, row.target)
            show("watch, first result", [loops[service].first_watch_result() for service in (True, False)], "≤ 1 s")
        finally:
            warm.stop()
    print("  (no service: hint without the catalog imports torch and every spec, as before; reset never did)")


def show(label: str, figures: list[float], target: str) -> None:
    service, none = (f"{seconds:.2f} s" for seconds in figures)
    print(f"  {label:34} {service:>9} {none:>11}   {target}")
