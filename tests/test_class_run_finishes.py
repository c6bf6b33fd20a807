"""A class run always finishes: whatever one submission is or does, every other student gets their
result, the gradebook is written, the exit status is 0, and nothing of a file's name or content
reaches an output as anything but text."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from graders import registry

EX01 = "ex01_my_model"
ATTACKS = Path(__file__).parent / "attacks"
SUBMISSIONS = Path(__file__).parent / "submissions" / EX01
LIMITS = ["--timeout", "30", "--limit", "cpu=8"]
# What no output may hold: C0 and C1 controls but newline and tab, and the bidirectional overrides.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
ESCAPES = "\x1b]0;pwned\x07\x1b[2J\u202e"


def notebook(*sources: object, wrap: int = 0) -> bytes:
    """A notebook of code cells with these sources, inside ``wrap`` levels of nested lists."""
    cells = [
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": s} for s in sources
    ]
    text = json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    return ("[" * wrap + text + "]" * wrap).encode()


def zip_with_a_name_that_is_not_utf8() -> bytes:
    """A zip whose member's name is flagged as UTF-8 but is not: opening it raises UnicodeDecodeError."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ex01_my_modé.py", b"x = 1\n")  # zipfile flags a non-ASCII name as UTF-8
    return buffer.getvalue().replace("é".encode(), b"\xff\xfe")


def make_class(root: Path) -> dict[str, str]:
    """One honest student, and one of each kind of file that used to stop a class; the student keys."""
    solution = registry.solution_path(registry.get(EX01)).read_bytes()
    files = {
        "alice": {f"{EX01}.py": solution},
        "bob": {f"{EX01}.ipynb": notebook("import torch\n", ["x = ", 1])},  # a number in a source list
        "carol": {f"{EX01}.ipynb": notebook("x = 1", wrap=100_000)},  # json.loads recurses too deeply
        f"dave{ESCAPES}": {f"{EX01}{ESCAPES}.py": solution},
        "erin": {f"{EX01}.py": (ATTACKS / "exception_type_name_not_a_string.py").read_bytes()},
        "frank": {"work.zip": zip_with_a_name_that_is_not_utf8(), f"{EX01}.py": solution},
        # exits with the worker's own failure status: the submission's doing, stored as final
        "harry": {f"{EX01}.py": (ATTACKS / "engine_error_escapes.py").read_bytes()},
    }
    for student, named in files.items():
        for name, data in named.items():
            (root / student).mkdir(parents=True, exist_ok=True)
            (root / student / name).write_bytes(data)
    odd = os.fsencode(root) + b"/gina\xff"  # a folder whose name is not UTF-8
    os.mkdir(odd)
    Path(os.fsdecode(odd), f"{EX01}.py").write_bytes((SUBMISSIONS / "wrong_no_relu.py").read_bytes())
    return {student: student for student in files} | {"gina": "gina\\xff"}


def grade(root: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(registry.ROOT), "NO_COLOR": "1"}
    command = [sys.executable, "-m", "graders", "grade", str(root / "class"), "--out", str(root / "out"), *LIMITS]
    command.append("--seed-not-secret")  # the hidden checks too, with the public seed: no course grades here
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], subprocess.CompletedProcess]:
    root = tmp_path_factory.mktemp("hostile-class")
    keys = make_class(root / "class")
    return root, keys, grade(root)


def test_every_student_is_graded_and_the_gradebook_written(graded) -> None:
    root, keys, run = graded
    assert run.returncode == 0, run.stderr[-3000:]
    book = {row["student"]: row for row in csv.DictReader(io.StringIO((root / "out" / "gradebook.csv").read_text()))}
    dave = "dave\\x1b]0;pwned\\x07\\x1b[2J\\u202e"  # each control as the escape that names it
    assert sorted(book) == sorted([*(key for key in keys.values() if not key.startswith("dave")), dave])
    maximum = book["alice"]["max"]
    assert book["alice"]["total"] == book[dave]["total"] == book["frank"]["total"] == maximum
    for unreadable in ("bob", "carol"):  # the file's fault: a result of its own, not the grader's failure
        assert book[unreadable]["total"] == "0" and book[unreadable]["errors"] == "ex01: import"
    assert book["erin"]["errors"] == "ex01: exception"
    assert book["harry"]["errors"] == "ex01: exit"
    assert 0 < float(book["gina\\xff"]["total"]) < float(maximum)
    assert "not a readable .zip archive" in run.stdout


def test_the_students_read_why_their_file_could_not_be_graded(graded) -> None:
    root, _, _ = graded
    feedback = {path.parent.name: path.read_text() for path in (root / "out" / "students").glob("*/feedback.md")}
    assert "code cell 2's source is not text" in feedback["bob"]
    assert "not valid .ipynb JSON" in feedback["carol"]
    assert "your code raised Sneaky" in feedback["erin"]
    assert "ended the grading process early (exit status 71) while importing your file" in feedback["harry"]
    assert "not your fault" not in feedback["harry"]


def test_no_output_holds_a_control_character_from_a_name(graded) -> None:
    root, _, run = graded
    assert not UNSAFE.search(run.stdout + run.stderr)
    for path in (root / "out").rglob("*"):
        if path.is_file() and path.suffix in (".csv", ".md", ".json", ".html"):
            text = path.read_text(encoding="utf-8")
            assert not UNSAFE.search(text), path
            if path.suffix == ".json":
                assert not UNSAFE.search(json.dumps(json.loads(text), ensure_ascii=False)), path


def test_a_rerun_grades_nothing_again(graded) -> None:
    root, keys, _ = graded
    rerun = grade(root)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert f"0 of {len(keys)} results now" in rerun.stdout
