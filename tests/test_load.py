"""A grade does not depend on how busy the machine is: a class graded while three CPU hogs per core
run beside it gets, byte for byte, the gradebook and feedback of a class graded on a quiet machine.

The class holds what load could change, one student each: a right file; a slow but honest one, whose
half second of computing takes longer than the one-second clock once the hogs share its core; an
infinite loop, which the CPU limit stops; and a file that sleeps, which the clock stops. What the
zygote imports while a job runs is shown not to count against it in tests/test_engine.py.
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

RUN_SECONDS = 240  # a backstop for one class run; on a quiet machine it takes some 10 s
pytestmark = [pytest.mark.slow, pytest.mark.timeout(2 * RUN_SECONDS + 60)]  # the class is graded twice

SUBMISSIONS = Path(__file__).parent / "submissions" / "ex01_my_model"
EXERCISE = "ex01_my_model"
LIMITS = ["--timeout", "1", "--limit", "cpu=2"]
HOGS_PER_CORE = 3
RIGHT = (SUBMISSIONS / "correct_nn_relu_modules.py").read_bytes()
STUDENTS = {
    "alice": RIGHT,
    "carol": (SUBMISSIONS / "broken_infinite_loop_forward.py").read_bytes(),
    "dave": b"import time\ntime.sleep(1000)\n" + RIGHT,
    "erin": b"sum(i * i for i in range(10_000_000))\n" + RIGHT,
}
# Each hog ends by itself once the busy run could have timed out, should the test not end it first.
HOG = f"import time\nend = time.monotonic() + {RUN_SECONDS}\nwhile time.monotonic() < end:\n    pass\n"


def make_class(folder: Path) -> Path:
    for student, source in STUDENTS.items():
        (folder / student).mkdir(parents=True)
        (folder / student / f"{EXERCISE}.py").write_bytes(source)
    return folder


def grade(folder: Path, out: Path, cache: Path) -> dict[str, bytes]:
    """The class graded through ``python -m graders grade``: its gradebook and feedback files.
    ``cache``: where the reference's observations are kept, computed by the first run."""
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(registry.ROOT), "NO_COLOR": "1", "FORWARDPASS_CACHE": str(cache)}
    command = [sys.executable, "-m", "graders", "grade", str(folder), "--out", str(out), *LIMITS, "--seed-not-secret"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=RUN_SECONDS)
    assert done.returncode == 0, done.stderr[-3000:]
    outputs = [out / "gradebook.csv", *sorted((out / "students").glob("*/feedback.md"))]
    return {str(path.relative_to(out)): path.read_bytes() for path in outputs}


def test_a_class_graded_on_a_busy_machine_gets_the_grades_of_a_quiet_one(tmp_path: Path) -> None:
    folder = make_class(tmp_path / "class")
    quiet = grade(folder, tmp_path / "quiet", tmp_path / "cache")
    book = {row["student"]: row for row in csv.DictReader(io.StringIO(quiet["gradebook.csv"].decode()))}
    assert book["carol"]["errors"] == "ex01: cpu"  # stopped by the CPU limit
    assert book["dave"]["errors"] == "ex01: timeout"  # stopped by the clock
    assert book["erin"]["total"] == book["alice"]["total"] == book["alice"]["max"]

    hogs = [subprocess.Popen([sys.executable, "-c", HOG]) for _ in range(HOGS_PER_CORE * (os.cpu_count() or 1))]
    try:
        busy = grade(folder, tmp_path / "busy", tmp_path / "cache")
    finally:
        for process in hogs:
            process.kill()
            process.wait()
    assert busy == quiet
