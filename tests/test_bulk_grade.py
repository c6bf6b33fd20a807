"""Grading a class through the real ``python -m graders grade``: outputs, resume after SIGKILL,
determinism across --jobs, reuse and regrading, and what student-facing files must never hold."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from copies import disguise

from graders import registry
from graders.bulk.store import decode
from graders.reporters.student import HIDDEN

TESTS = Path(__file__).parent
SUBMISSIONS = TESTS / "submissions"
EXERCISES = ("ex02_init_vs_forward", "ex07_params_and_buffers", "ex13_evaluate")
LEAK = "LEAK-7f3a"  # what one submission prints, with the shape of every input it is given
LIMITS = ["--timeout", "30", "--limit", "cpu=8"]
SEED = ["--seed", "31337"]  # the hidden checks' secret seed, as a course file would give it
AWKWARD = "henry<b>&amp;"  # a folder name that must come out as text in HTML and Markdown


def solution(exercise_id: str) -> bytes:
    return (registry.SOLUTIONS / f"{exercise_id}.py").read_bytes()


def leaky_ex02() -> bytes:
    source = solution("ex02_init_vs_forward").decode()
    body = '        """x has shape (N, in_features); the result has shape (N, out_features)."""\n'
    assert body in source
    return source.replace(body, body + f"        print({LEAK!r}, tuple(x.shape))\n").encode()


def notebook(source: bytes) -> bytes:
    cells = [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": source.decode()}]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}).encode()


def make_class(root: Path) -> Path:
    """Eleven students, three exercises, every kind of outcome, one copy; a roster with one more student."""
    ex02, ex07, ex13 = EXERCISES
    honest = (SUBMISSIONS / ex07 / "correct_chained_tensor_methods.py").read_text()
    students = {
        "alice": {f"{e}.py": solution(e) for e in EXERCISES},
        "bob": {
            f"{ex02}.py": (SUBMISSIONS / ex02 / "wrong_no_relu.py").read_bytes(),
            f"{ex07}.py": (SUBMISSIONS / ex07 / "wrong_count_tensors.py").read_bytes(),
            f"{ex13}.py": (SUBMISSIONS / ex13 / "wrong_no_eval.py").read_bytes(),
        },
        "carol": {f"{ex02}.py": b"def oops(:\n", f"{ex07}.py": solution(ex07)},
        "dave": {f"{ex02}.py": leaky_ex02(), f"{ex13}.py": solution(ex13)},
        "erin": {
            f"{ex07}.ipynb": notebook(solution(ex07)),
            f"{ex13}.py": (registry.EXERCISES / f"{ex13}.py").read_bytes(),
        },
        "frank": {
            f"{ex02}-1.py": (SUBMISSIONS / ex02 / "wrong_hardcoded_sizes.py").read_bytes(),
            f"{ex13}.py": solution(ex13),
        },
        "gina": {f"{ex02}.py": solution(ex02), "work.zip": b"PK\x03\x04 cut short", "notes.txt": b"hi"},
        AWKWARD: {f"{ex07}.py": solution(ex07)},
        "ines": {f"{e}.py": solution(e) for e in EXERCISES[:2]},
        "jack": {f"{ex07}.py": honest.encode()},
        "kim": {f"{ex07}.py": disguise(honest).encode()},  # jack's, with names renamed and functions reordered
    }
    for student, files in students.items():
        for name, data in files.items():
            (root / "class" / student).mkdir(parents=True, exist_ok=True)
            (root / "class" / student / name).write_bytes(data)
    names = [*students, "ivan"]
    (root / "roster.csv").write_text("id,name\n" + "".join(f"{n},{n.title()}\n" for n in names))
    return root / "class"


@pytest.fixture(scope="module")
def forwardpass(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A snapshot of the grader: an edit to the working tree during these tests (which would rightly
    regrade everything, as the grader changed) cannot disturb them."""
    root = tmp_path_factory.mktemp("forwardpass")
    for folder in ("graders", "solutions", "exercises"):
        shutil.copytree(registry.ROOT / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def grade(forwardpass: Path, *args: str | Path, seed: list[str] = SEED) -> subprocess.Popen[str]:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(forwardpass), "NO_COLOR": "1"}
    command = [sys.executable, "-m", "graders", "grade", *map(str, args), *LIMITS, *seed]
    return subprocess.Popen(
        command, cwd=forwardpass, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def finished(process: subprocess.Popen[str]) -> subprocess.CompletedProcess[str]:
    stdout, stderr = process.communicate(timeout=600)
    assert process.returncode == 0, stderr
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def stored(out: Path) -> dict[tuple[str, str], tuple[float, dict]]:
    db = sqlite3.connect(out / "results.sqlite")
    try:
        rows = db.execute("SELECT student, exercise, graded_at, result FROM results").fetchall()
    finally:
        db.close()
    return {(s, e): (at, json.loads(r)) for s, e, at, r in rows}


def engine_workroots(pid: int) -> list[Path]:
    """The work folders of the engines a process started: each zygote runs in its own."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    found = []
    for child in children:
        try:
            if b"graders.engine.zygote" in Path(f"/proc/{child}/cmdline").read_bytes():
                found.append(Path(os.readlink(f"/proc/{child}/cwd")))
        except OSError:
            continue
    return [path for path in found if path.name.startswith("forwardpass-")]


def rows(out: Path) -> dict[str, dict[str, str]]:
    return {row["student"]: row for row in csv.DictReader(io.StringIO((out / "gradebook.csv").read_text()))}


@pytest.fixture(scope="module")
def graded(
    forwardpass: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path, subprocess.CompletedProcess[str]]:
    """The class graded once, one job at a time, with its roster."""
    root = tmp_path_factory.mktemp("bulk")
    make_class(root)
    run = finished(
        grade(forwardpass, root / "class", "--out", root / "out", "--jobs", "1", "--roster", root / "roster.csv")
    )
    return root, root / "out", run


def test_the_gradebook_has_a_row_per_student_with_scores_late_and_errors(graded) -> None:
    _, out, run = graded
    book = rows(out)
    assert (out / "gradebook.csv").read_text().splitlines()[0].split(",") == [
        "student", "name", *EXERCISES, "total", "max", "late", "errors"
    ]  # fmt: skip
    maximum = book["alice"]["max"]
    assert book["alice"]["total"] == maximum and book["alice"]["errors"] == ""
    assert all(row["max"] == maximum for row in book.values())
    assert book["ivan"]["total"] == "0" and book["ivan"]["errors"] == "no submission"  # on the roster only
    assert book["carol"][EXERCISES[0]] == "0" and "ex02: import" in book["carol"]["errors"]
    assert "ex13: not submitted" in book["carol"]["errors"]
    assert book["erin"][EXERCISES[1]] == book["alice"][EXERCISES[1]]  # the notebook graded as its code
    assert book["erin"][EXERCISES[2]] == "0" and book["erin"]["errors"] == "ex02: not submitted; ex13: not started"
    assert 0 < float(book["bob"]["total"]) < float(maximum)
    assert float(book["frank"][EXERCISES[0]]) < float(book["alice"][EXERCISES[0]])  # hidden checks failed
    assert book[AWKWARD]["name"] == AWKWARD.title()
    students = ["alice", "bob", "carol", "dave", "erin", "frank", "gina", AWKWARD, "ines", "ivan", "jack", "kim"]
    assert sorted(book) == sorted(students)
    assert "Graded 12 students × 3 exercises" in run.stdout
    assert "1 archive" in run.stdout and "work.zip" in run.stdout


def test_each_student_gets_feedback_and_a_gradescope_results_json(graded) -> None:
    _, out, _ = graded
    folders = sorted(p.name for p in (out / "students").iterdir())
    assert len(folders) == 12 and all("<" not in f and "&" not in f for f in folders)
    bob = next((out / "students").glob("Bob_bob"))
    feedback = (bob / "feedback.md").read_text()
    assert "# Feedback for Bob" in feedback and "your two layers without a ReLU between them" in feedback
    assert "**Hints**" in feedback
    results = json.loads((bob / "results.json").read_text())
    assert set(results) == {"score", "execution_time", "output", "tests"}
    assert isinstance(results["execution_time"], float) and results["score"] == float(rows(out)["bob"]["total"])
    for test in results["tests"]:
        assert set(test) == {"name", "number", "score", "max_score", "status", "output", "visibility"}
        assert test["status"] in ("passed", "failed") and test["visibility"] in ("visible", "after_published")
        assert isinstance(test["score"], float) and test["score"] <= test["max_score"]
    assert sum(t["score"] for t in results["tests"]) == results["score"]
    ivan = json.loads((out / "students" / "Ivan_ivan" / "results.json").read_text())
    assert ivan["score"] == 0 and all("No file for this exercise" in t["output"] for t in ivan["tests"])
    # Which file was graded as which exercise, and which were not and why: the rule every command follows.
    gina = (out / "students" / "Gina_gina" / "feedback.md").read_text()
    assert "ex02_init_vs_forward.py was graded as ex02_init_vs_forward." in gina
    assert "notes.txt was not graded: only .py and .ipynb files are" in gina
    # What the results.json says above its tests counts the public checks only.
    assert "on its public checks" in results["output"] and "Hidden checks, worth" in results["output"]


def test_student_files_hold_no_hidden_details_and_nothing_the_submission_printed(graded) -> None:
    _, out, _ = graded
    results = stored(out)
    # The printed line reached the TA's store, with the hidden inputs' shapes in it...
    assert LEAK in results[("dave", EXERCISES[0])][1]["stdout"]
    hidden_messages = {
        check["message"]
        for _, result in results.values()
        for check in result["checks"]
        if check["visibility"] == "hidden" and result["status"] != "error"
    }
    errors = {result["error"] for _, result in results.values() if result["status"] == "error"}
    assert hidden_messages
    for path in (out / "students").rglob("*"):
        if path.is_file():
            text = path.read_text()
            assert LEAK not in text, path  # ...and no student-facing file
            for message in hidden_messages:
                assert message not in text, (path, message)
            if path.name == "results.json":
                for test in json.loads(text)["tests"]:
                    if test["visibility"] == "after_published":
                        output = test["output"]
                        assert output.startswith(HIDDEN) or output in errors or "No file for" in output, test
    awkward = next(p for p in (out / "students").iterdir() if p.name.startswith("Henry"))
    assert "# Feedback for Henry\\<B>\\&Amp;" in (awkward / "feedback.md").read_text()


def test_similar_submissions_are_shown_to_staff_only(graded) -> None:
    _, out, _ = graded
    report = (out / "report.html").read_text()
    similar = report[report.index('<section id="similar">') : report.index('<section id="errors">')]
    assert "ex07_params_and_buffers · Jack (jack), Kim (kim)" in similar and "<mark>" in similar
    assert similar.count('<div class="group">') == 1  # the identical reference solutions many handed in are not
    for path in (out / "students").rglob("*.*"):
        text = path.read_text()
        assert "similar" not in text.lower() and ("Kim" not in text or "Jack" not in text), path


def test_the_report_shows_how_the_class_did(graded) -> None:
    _, out, _ = graded
    report = (out / "report.html").read_text()
    for heading in (
        "Ideas of the lecture",
        "The mistakes behind each idea",
        "Scores",
        "Exercises",
        "Checks, the hardest first",
        "Similar submissions",
        "Submissions that could not be graded",
        "Files that were not graded",
        "Run",
    ):
        assert f"<h2>{heading}</h2>" in report
    assert "<svg" in report and "<script" not in report.lower() and "http" not in report
    assert "your two layers without a ReLU between them" in report  # a failure message
    assert "SyntaxError" in report  # carol's error, as she reads it
    assert "not a readable .zip archive" in report
    assert "Henry&lt;B&gt;&amp;Amp;" in report and "<B>" not in report


def test_a_killed_run_resumes_to_the_same_gradebook_with_other_jobs(forwardpass, graded, tmp_path: Path) -> None:
    root, first_out, _ = graded
    out = tmp_path / "out"
    process = grade(forwardpass, root / "class", "--out", out, "--jobs", "2", "--roster", root / "roster.csv")
    deadline = time.monotonic() + 300
    before: dict = {}
    while time.monotonic() < deadline and process.poll() is None:
        if (out / "results.sqlite").exists():
            try:
                before = stored(out)
            except sqlite3.OperationalError:
                before = {}
            if len(before) >= 3:
                break
        time.sleep(0.02)
    workroots = engine_workroots(process.pid)
    process.send_signal(signal.SIGKILL)
    process.communicate()
    for workroot in workroots:  # a killed parent cannot remove its engine's work folder
        shutil.rmtree(workroot, ignore_errors=True)
    total = len(stored(first_out))
    assert 3 <= len(before) < total, "the run was not killed midway"
    before = stored(out)  # everything committed up to the kill
    assert not (out / "gradebook.csv").exists()

    run = finished(grade(forwardpass, root / "class", "--out", out, "--jobs", "2", "--roster", root / "roster.csv"))
    after = stored(out)
    assert len(after) == total
    assert f"{total - len(before)} of {total} results now, {len(before)} from an earlier run" in run.stdout
    for key, (graded_at, result) in before.items():
        assert after[key][0] == graded_at, f"{key} was graded again"
        assert decode(json.dumps(result)) == decode(json.dumps(after[key][1]))
    assert (out / "gradebook.csv").read_bytes() == (first_out / "gradebook.csv").read_bytes()


def test_a_rerun_reuses_everything_and_regrades_only_what_changed(forwardpass, graded, tmp_path: Path) -> None:
    root, first_out, _ = graded
    out, submissions = tmp_path / "out", tmp_path / "class"
    shutil.copytree(first_out, out)
    shutil.copytree(root / "class", submissions)
    total = len(stored(out))

    same = finished(grade(forwardpass, submissions, "--out", out, "--roster", root / "roster.csv"))
    assert f"0 of {total} results now" in same.stdout
    assert (out / "gradebook.csv").read_bytes() == (first_out / "gradebook.csv").read_bytes()

    (submissions / "bob" / f"{EXERCISES[0]}.py").write_bytes(solution(EXERCISES[0]))
    changed = finished(grade(forwardpass, submissions, "--out", out, "--roster", root / "roster.csv"))
    assert f"1 of {total} results now" in changed.stdout
    assert rows(out)["bob"][EXERCISES[0]] == rows(out)["alice"][EXERCISES[0]]

    forced = finished(grade(forwardpass, submissions, "--out", out, "--roster", root / "roster.csv", "--force"))
    assert f"{total} of {total} results now" in forced.stdout


def test_wrong_use_exits_2(forwardpass: Path, tmp_path: Path) -> None:
    for args in ([tmp_path / "missing", "--out", tmp_path / "o"], ["--out", tmp_path / "o"]):
        process = grade(forwardpass, *args)
        _, stderr = process.communicate(timeout=60)
        assert process.returncode == 2 and "python -m graders grade:" in stderr


def test_the_hidden_checks_are_not_graded_with_the_public_seed_unless_asked(forwardpass: Path, tmp_path: Path) -> None:
    (tmp_path / "class" / "alice").mkdir(parents=True)
    (tmp_path / "class" / "alice" / "ex02_init_vs_forward.py").write_bytes(solution("ex02_init_vs_forward"))
    refused = grade(forwardpass, tmp_path / "class", "--out", tmp_path / "refused", seed=[])
    _, stderr = refused.communicate(timeout=60)
    assert refused.returncode == 2 and "public default seed" in stderr and "course init" in stderr
    assert not (tmp_path / "refused" / "gradebook.csv").exists()
    for seed in (["--seed-not-secret"], ["--public-only"]):
        finished(grade(forwardpass, tmp_path / "class", "--out", tmp_path / seed[0].strip("-"), seed=seed))
    course = tmp_path / "course.toml"
    course.write_text('secret_seed = 4242\nhints = "none"\n[exercises]\nex02_init_vs_forward = 32\n')
    finished(grade(forwardpass, tmp_path / "class", "--out", tmp_path / "course", "--course-file", course, seed=[]))
    book = rows(tmp_path / "course")
    assert book["alice"]["total"] == book["alice"]["max"] == "32"  # the course's points, its checks' scaled
