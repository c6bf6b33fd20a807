"""The command line as other tools use it: exit statuses, one JSON object, readable text."""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SERVICE_SETTING

from graders import registry
from graders.commands.check import add_grading_options, limits_from

SUBMISSIONS = Path(__file__).parent / "submissions" / "ex01_my_model"
CHECK_KEYS = {"id", "points", "max_points", "passed", "visibility", "message"}
EXERCISE_KEYS = {"id", "file", "score", "max_score", "status", "error", "checks"}
# What no output may hold: C0 and C1 controls but newline and tab, and the bidirectional overrides.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def graders(*args: str, cwd: Path = registry.ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "graders", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(registry.ROOT), "NO_COLOR": "1", **SERVICE_SETTING},
    )


def test_json_is_one_object_in_the_contracts_shape(tmp_path: Path) -> None:
    # A submission that prints, and whose grade is partial: stdout must still hold only the JSON.
    submission = tmp_path / "ex01_my_model.py"
    source = (SUBMISSIONS / "wrong_conv2_10_channels.py").read_text()
    submission.write_text(source.replace("def forward(self, x):", "def forward(self, x):\n        print('{}')"))
    result = graders("check", str(submission), "--json")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)  # fails on anything but exactly one JSON document
    assert set(report) == {"score", "max_score", "isolation", "exercises"}
    assert report["isolation"] in ("full", "reduced")
    (exercise,) = report["exercises"]
    assert set(exercise) == EXERCISE_KEYS
    assert exercise["id"] == "ex01_my_model" and exercise["file"] == str(submission)
    assert exercise["status"] == "failed" and exercise["error"] is None
    assert all(set(check) == CHECK_KEYS for check in exercise["checks"])
    assert all(check["visibility"] == "public" for check in exercise["checks"])
    assert report["score"] == exercise["score"] == sum(c["points"] for c in exercise["checks"]) == 3.0
    assert report["max_score"] == 10.0


def test_file_names_reach_the_terminal_and_json_as_text(tmp_path: Path) -> None:
    """A file's name is the student's to choose: whatever controls it holds, no output shows them."""
    name = "ex01_my_model\x1b]0;pwned\x07\x1b[2J\u202e.py"
    (tmp_path / name).write_bytes(registry.solution_path(registry.get("ex01_my_model")).read_bytes())
    (tmp_path / "notes\x1b[31m.py").write_text("")  # skipped, with a note that names it
    text, as_json = graders("check", str(tmp_path)), graders("check", str(tmp_path / name), "--json")
    for run in (text, as_json):
        assert run.returncode == 0, run.stderr
        assert not UNSAFE.search(run.stdout + run.stderr)
    shown = "ex01_my_model\\x1b]0;pwned\\x07\\x1b[2J\\u202e.py"  # each control as the escape that names it
    assert shown in text.stdout and "notes\\x1b[31m.py" in text.stdout
    (exercise,) = json.loads(as_json.stdout)["exercises"]
    assert exercise["file"].endswith(shown)


def test_all_adds_hidden_checks_and_full_marks_exit_zero() -> None:
    result = graders("check", "solutions/ex01_my_model.py", "--all", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    (exercise,) = json.loads(result.stdout)["exercises"]
    assert exercise["status"] == "passed" and exercise["score"] == exercise["max_score"]
    assert "hidden" in {check["visibility"] for check in exercise["checks"]}
    shown = graders("check", "solutions/ex01_my_model.py", "--all")
    assert shown.returncode == 0 and "Total: " in shown.stdout, shown.stderr
    assert "no hidden checks" not in shown.stdout, "only a copy without them says so"


def test_a_file_named_otherwise_is_graded_by_what_it_defines_or_as_exercise_says(tmp_path: Path) -> None:
    submission = tmp_path / "my_homework.py"
    shutil.copy(SUBMISSIONS / "correct_nn_relu_modules.py", submission)
    by_code = graders("check", str(submission))
    assert by_code.returncode == 0, by_code.stdout + by_code.stderr
    assert "my_homework.py was graded as ex01_my_model: it defines MyModel." in by_code.stdout
    result = graders("check", str(submission), "--exercise", "ex01_my_model")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "✓" in result.stdout and "Total: 10/10" in result.stdout
    nothing = tmp_path / "notes.py"
    nothing.write_text("print('my notes')\n")
    refused = graders("check", str(nothing))
    assert refused.returncode == 2 and "cannot tell which exercise" in refused.stderr


def test_an_empty_file_or_notebook_is_called_empty(tmp_path: Path) -> None:
    (tmp_path / "ex01_my_model.py").write_text("\n   \n")
    cells = [{"cell_type": "markdown", "metadata": {}, "source": "# MyModel"}]
    cells.append({"cell_type": "code", "metadata": {}, "source": "", "outputs": [], "execution_count": None})
    notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "ex02_init_vs_forward.ipynb").write_text(json.dumps(notebook))
    result = graders("check", str(tmp_path), "--json")
    assert result.returncode == 1, result.stderr
    errors = {exercise["id"]: exercise["error"] for exercise in json.loads(result.stdout)["exercises"]}
    assert errors == {
        "ex01_my_model": "Your file is empty: there is no code in it to grade.",
        "ex02_init_vs_forward": "Your notebook has no code to grade: its code cells are empty.",
    }


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (("check", "no/such/file.py"), "no such file or folder"),
        (("check", "exercises", "--exercise", "ex99_nothing"), "unknown exercise"),
        (("check", "--timeout", "0"), "must be greater than 0"),
        (("watch", "exercises", "--exercise", "01"), "--exercise names the exercise of one file"),
        (("frobnicate",), "invalid choice"),
    ],
)
def test_wrong_usage_exits_two_with_a_reason(args: tuple[str, ...], complaint: str) -> None:
    result = graders(*args)
    assert result.returncode == 2
    assert complaint in result.stderr
    assert result.stdout == ""


def test_timeout_limits_computing_and_waiting_and_a_limit_sets_either_alone() -> None:
    parser = argparse.ArgumentParser()
    add_grading_options(parser)
    limits = limits_from(parser.parse_args(["--timeout", "2.5"]))
    assert (limits.cpu_seconds, limits.wall_seconds) == (3, 2.5)  # the CPU limit in whole seconds, never less
    limits = limits_from(parser.parse_args(["--timeout", "5", "--limit", "cpu=2", "--limit", "observations=1MiB"]))
    assert (limits.cpu_seconds, limits.wall_seconds, limits.observation_bytes) == (2, 5.0, 1 << 20)


def test_human_output_names_the_mistake_and_the_total(tmp_path: Path) -> None:
    shutil.copy(SUBMISSIONS / "wrong_conv2_10_channels.py", tmp_path / "ex01_my_model.py")
    result = graders("check", str(tmp_path))
    assert result.returncode == 1
    assert "✗" in result.stdout and "✓" in result.stdout
    assert "Your conv2 has 10 output channels; the reference's has 20 output channels." in result.stdout
    assert "Total: 3/10" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_default_path_is_the_exercises_folder() -> None:
    result = graders("check", "--json")
    ids = [exercise["id"] for exercise in json.loads(result.stdout)["exercises"]]
    assert ids == sorted(ids) and set(ids) == set(registry.ids())


def test_a_bug_in_forwardpass_exits_3_and_never_passes_for_a_failed_check(monkeypatch, capsys) -> None:
    from graders import cli
    from graders.commands import stubs

    def broken(args) -> int:
        raise RuntimeError("a bug in a command")

    monkeypatch.setattr(stubs, "run", broken)
    assert cli.main(["stubs"]) == 3
    printed = capsys.readouterr().err
    assert "RuntimeError: a bug in a command" in printed
    assert "forwardpass itself failed" in printed
