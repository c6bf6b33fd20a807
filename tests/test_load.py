"""A grade does not depend on how busy the machine is: a class graded while three CPU hogs per core
run beside it gets, byte for byte, the gradebook and feedback of a class graded on a quiet machine.

The class holds what load could change: a slow but honest file (under a one-second clock), an
infinite loop (which the CPU limit stops), a file that sleeps (which the clock stops), and an
exercise whose probe needs torch._dynamo.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from graders import registry

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]  # the class is graded twice, once on a busy machine

SUBMISSIONS = Path(__file__).parent / "submissions"
EXERCISES = ("ex01_my_model", "ex02_init_vs_forward")
LIMITS = ["--timeout", "1", "--limit", "cpu=2"]
HOGS_PER_CORE = 3
HOG_SECONDS = 600  # each hog ends by itself by then, should the test not end it first
RIGHT = (SUBMISSIONS / "ex01_my_model" / "correct_nn_relu_modules.py").read_bytes()


def make_class(folder: Path) -> Path:
    ex01, ex02 = EXERCISES
    solution = (registry.SOLUTIONS / f"{ex02}.py").read_bytes()
    students = {
        "alice": {ex01: RIGHT, ex02: solution},
        "bob": {ex01: (SUBMISSIONS / ex01 / "wrong_no_relu.py").read_bytes(), ex02: solution},
        "carol": {ex01: (SUBMISSIONS / ex01 / "broken_infinite_loop_forward.py").read_bytes()},
        "dave": {ex01: b"import time\ntime.sleep(1000)\n" + RIGHT},
        # Half a second of computing, then the right answer: the clock must not count it.
        "erin": {ex01: b"sum(i * i for i in range(5_000_000))\n" + RIGHT, ex02: solution},
    }
    for student, files in students.items():
        (folder / student).mkdir(parents=True)
        for exercise_id, source in files.items():
            (folder / student / f"{exercise_id}.py").write_bytes(source)
    return folder


def grade(folder: Path, out: Path, cache: Path) -> dict[str, bytes]:
    """The class graded through ``python -m graders grade``: its gradebook and feedback files.
    ``cache``: where the reference's observations are kept, computed by the first run."""
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(registry.ROOT), "NO_COLOR": "1", "FORWARDPASS_CACHE": str(cache)}
    command = [sys.executable, "-m", "graders", "grade", str(folder), "--out", str(out), *LIMITS]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stderr[-3000:]
    outputs = [out / "gradebook.csv", *sorted((out / "students").glob("*/feedback.md"))]
    return {str(path.relative_to(out)): path.read_bytes() for path in outputs}


def test_a_class_graded_on_a_busy_machine_gets_the_grades_of_a_quiet_one(tmp_path: Path) -> None:
    folder = make_class(tmp_path / "class")
    quiet = grade(folder, tmp_path / "quiet", tmp_path / "cache")
    book = {row["student"]: row for row in csv.DictReader(io.StringIO(quiet["gradebook.csv"].decode()))}
    assert book["carol"]["errors"] == "ex01: cpu; ex02: not submitted"  # stopped by the CPU limit
    assert book["dave"]["errors"] == "ex01: timeout; ex02: not submitted"  # stopped by the clock
    assert book["erin"]["total"] == book["alice"]["total"] == book["alice"]["max"]

    hog = f"import time\nend = time.monotonic() + {HOG_SECONDS}\nwhile time.monotonic() < end:\n    pass\n"
    hogs = [subprocess.Popen([sys.executable, "-c", hog]) for _ in range(HOGS_PER_CORE * (os.cpu_count() or 1))]
    try:
        busy = grade(folder, tmp_path / "busy", tmp_path / "cache")
    finally:
        for process in hogs:
            process.kill()
            process.wait()
    assert busy == quiet
