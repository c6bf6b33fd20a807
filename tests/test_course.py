"""A graded course's pieces, without grading: the course file, the hint policy, and the one rule that
tells which file is which exercise."""

from __future__ import annotations

import ast
import dataclasses
import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from graders import registry
from graders.bulk.feedback import feedback_markdown
from graders.bulk.results import StudentResults
from graders.course import SELF_LEARNER, CourseError, initial, read, render, write
from graders.matching import Handed, by_code, identify, match, sentences
from graders.policy import hints_for, shipped_hints, shown, without_hint
from graders.release.strip import hints_tuple, keep_hints
from graders.results import CheckResult, ExerciseResult
from graders.spec import Exercise, Hint, fail

SUBMISSIONS = Path(__file__).parent / "submissions"


def graders(*args: str, cwd: Path = registry.ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "graders", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


# -- the course file -----------------------------------------------------------------------------


def test_course_init_makes_a_private_file_with_a_secret_seed_and_never_replaces_it(tmp_path: Path) -> None:
    path = tmp_path / "course.toml"
    made = graders("course", "init", "--course-file", str(path), "--exercises", "ex01,ex03", "--hints", "none")
    assert made.returncode == 0, made.stderr
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    course = read(path)
    assert course.secret_seed is not None and course.secret_seed >= 10**11
    assert course.secret_seed != registry.DEFAULT_SECRET_SEED and str(course.secret_seed) not in made.stdout
    assert course.hints == "none" and course.assignment == ("ex01_my_model", "ex03_containers")
    assert course.points("ex01_my_model") == registry.get("ex01_my_model").max_score(include_hidden=True)
    again = graders("course", "init", "--course-file", str(path))
    assert again.returncode == 2 and "exists already" in again.stderr and read(path) == course
    shown_course = graders("course", "show", "--course-file", str(path))
    assert "hints: none" in shown_course.stdout and str(course.secret_seed) not in shown_course.stdout
    other = tmp_path / "other.toml"
    graders("course", "init", "--course-file", str(other))
    assert read(other).secret_seed != course.secret_seed


def test_a_course_file_reads_back_as_written_and_says_what_is_wrong_with_it(tmp_path: Path) -> None:
    course = initial("nudge", ("ex02_init_vs_forward",), 0.25, seed=123456789012)
    path = tmp_path / "course.toml"
    write(dataclasses.replace(course, exercises=(("ex02_init_vs_forward", 32.0),)), path)
    assert read(path) == dataclasses.replace(course, exercises=(("ex02_init_vs_forward", 32.0),), path=path)
    for text, complaint in (
        ("hints = 'all'\n", "secret_seed"),
        ("secret_seed = 5\nhints = 'some'\n", "hints must be one of none, nudge, all"),
        ("secret_seed = 5\n[exercises]\nex99 = 3\n", "unknown exercise 'ex99'"),
        ("secret_seed = 5\n[exercises]\nex01 = 0\n", "greater than 0"),
        ("secret_seed = 5\nlate_penalty = 2\n", "late_penalty"),
        ("secret_seed = 5\nseed = 6\n", r"unknown setting\(s\) seed"),
        ("secret_seed = ", "not valid TOML"),
    ):
        path.write_text(text)
        with pytest.raises(CourseError, match=complaint):
            read(path)
    assert "secret_seed = 123456789012\n" in render(course) and 'hints = "nudge"\n' in render(course)


def test_points_are_scaled_to_the_course_and_a_late_penalty_taken_off() -> None:
    course = dataclasses.replace(SELF_LEARNER, exercises=(("ex01_my_model", 24.0),), late_penalty=0.1)
    checks = tuple(
        CheckResult(c.id, c.title, c.points, c.points, True, c.visibility, "")
        for c in registry.get("ex01_my_model").checks
    )
    result = ExerciseResult("ex01_my_model", "", "f.py", "passed", None, checks)
    weighed = course.weigh(result)
    assert weighed.score == weighed.max_score == 24 and SELF_LEARNER.weigh(result) is result
    student = StudentResults("k", "n", "f", True, {"ex01_my_model": weighed}, late_penalty=course.late_penalty)
    assert student.earned == 24 and student.score == pytest.approx(21.6)


# -- the hint policy -------------------------------------------------------------------------------

DEMO = Exercise(
    id="ex01_my_model",
    title="Demo",
    hints=(
        Hint("Look at a.", checks=("a",)),
        Hint("Look at a again, closer.", checks=("a",)),
        Hint("Look at b.", checks=("b", "h")),
        Hint("A general remark."),
    ),
)
for check_id, hidden in (("a", False), ("b", False), ("h", True)):
    DEMO.check(points=1, concept="forward", hidden=hidden, id=check_id, title=check_id)(lambda s, r: fail(""))


def result_of(passed: dict[str, bool], message: str = "") -> ExerciseResult:
    visibility = {"a": "public", "b": "public", "h": "hidden"}
    checks = tuple(CheckResult(c, c, 0.0, 1.0, ok, visibility[c], message) for c, ok in passed.items())
    return ExerciseResult("ex01_my_model", "Demo", "f.py", "failed", None, checks)


def test_each_policy_shows_and_ships_its_own_hints() -> None:
    failing_b = result_of({"a": True, "b": False, "h": False})
    assert [h.text for h in hints_for(DEMO, failing_b, "all")] == ["Look at b."]
    assert [h.text for h in hints_for(DEMO, failing_b, "nudge")] == ["Look at b."]
    assert hints_for(DEMO, failing_b, "none") == []
    only_hidden = result_of({"a": True, "b": True, "h": False})
    assert [h.text for h in hints_for(DEMO, only_hidden, "nudge")] == ["Look at b."]
    assert hints_for(DEMO, only_hidden, "nudge", public_only=True) == []  # says nothing of a hidden check
    assert shipped_hints(DEMO, "all") == (0, 1, 2, 3)
    assert shipped_hints(DEMO, "nudge") == (0, 2)  # each check's first; the second of a and the general one go
    assert shipped_hints(DEMO, "none") == ()


def test_none_cuts_the_hint_a_message_ends_with_and_feedback_shows_no_hint() -> None:
    message = fail("Your conv2 has 10 output channels; the reference's has 20.", "count them again.").message
    assert without_hint(message) == "Your conv2 has 10 output channels; the reference's has 20."
    failing = result_of({"a": False, "b": True, "h": True}, message)
    (cut,) = shown([failing], "none")
    assert all("Hint:" not in check.message for check in cut.checks) and shown([failing], "nudge") == [failing]
    student = StudentResults("k", "Kim", "kim", False, {"ex01_my_model": failing})
    assert "**Hints**" in feedback_markdown(student, (DEMO,), "all") and "Look at a." in feedback_markdown(
        student, (DEMO,), "nudge"
    )
    quiet = feedback_markdown(student, (DEMO,), "none")
    assert "**Hints**" not in quiet and "Hint:" not in quiet and "10 output channels" in quiet


def test_a_kit_keeps_only_the_hints_its_policy_hands_out() -> None:
    path = registry.ROOT / "graders" / "exercises" / "ex03_containers.py"
    exercise = registry.get("ex03_containers")
    for policy in ("none", "nudge", "all"):
        kept = shipped_hints(exercise, policy)
        found = hints_tuple(ast.parse(keep_hints(path.read_text(), kept, path.name)))
        assert [ast.literal_eval(hint.args[0]) for hint in found.elts] == [exercise.hints[i].text for i in kept]
    assert len(shipped_hints(exercise, "nudge")) < len(exercise.hints)  # ex03 has a second hint for a check


# -- which file is which exercise ------------------------------------------------------------------


def handed(tmp_path: Path, name: str, source: Path | bytes) -> Handed:
    path = tmp_path / name
    path.write_bytes(source if isinstance(source, bytes) else source.read_bytes())
    return Handed(name, path, name)


def test_one_rule_by_name_then_by_code_then_by_elimination(tmp_path: Path) -> None:
    files = [
        handed(tmp_path, "ex02_init_vs_forward.py", SUBMISSIONS / "ex02_init_vs_forward" / "correct_sequential.py"),
        handed(tmp_path, "homework.py", SUBMISSIONS / "ex01_my_model" / "correct_nn_relu_modules.py"),
        handed(tmp_path, "mine.py", b"print('something else')\n"),
        handed(tmp_path, "notes.txt", b"notes"),
        handed(tmp_path, "ex04_call_vs_forward.py", b""),
    ]
    assignment = ("ex01_my_model", "ex02_init_vs_forward", "ex03_containers")
    matching = match(files, assignment)
    assert {g.exercise_id: (g.name, g.how) for g in matching.graded} == {
        "ex01_my_model": ("homework.py", "code"),
        "ex02_init_vs_forward": ("ex02_init_vs_forward.py", "name"),
        "ex03_containers": ("mine.py", "elimination"),
    }
    assert {i.file.name: i.why for i in matching.ignored} == {
        "notes.txt": "not_gradable",
        "ex04_call_vs_forward.py": "outside",
    }
    words = sentences(matching)
    assert "homework.py was graded as ex01_my_model: it defines MyModel." in words
    assert any(w.startswith("mine.py was graded as ex03_containers: it is the only file left over") for w in words)
    assert (
        "ex04_call_vs_forward.py was not graded: it is ex04_call_vs_forward, which is not part of this assignment."
        in words
    )
    assert by_code(files[2].path, registry.ids()) is None
    # Two files left over: elimination cannot tell, and neither is graded.
    two = [*files[:3], handed(tmp_path, "more.py", b"x = 1\n")]
    assert [type(found).__name__ for found in identify(two, assignment)] == ["Graded", "Graded", "Ignored", "Ignored"]


def test_of_several_files_for_one_exercise_the_latest_revision_is_graded(tmp_path: Path) -> None:
    code = (SUBMISSIONS / "ex01_my_model" / "correct_nn_relu_modules.py").read_bytes()
    files = [handed(tmp_path, name, code) for name in ("ex01_my_model.py", "ex01_my_model-2.py", "model.ipynb")]
    files[2].path.write_text(json.dumps({"cells": [{"cell_type": "code", "source": code.decode(), "metadata": {}}]}))
    matching = match(files, registry.ids())
    assert [g.name for g in matching.graded] == ["ex01_my_model-2.py"]
    assert {i.file.name: (i.why, i.instead) for i in matching.ignored} == {
        "ex01_my_model.py": ("duplicate", "ex01_my_model-2.py"),
        "model.ipynb": ("duplicate", "ex01_my_model-2.py"),
    }


def test_gradescope_says_late_when_its_metadata_has_the_submission_after_the_due_date(tmp_path: Path) -> None:
    from graders.release.autograder import METADATA, submitted_late

    assert not submitted_late(tmp_path)  # a trial run has no metadata: on time
    for created, late in (("2026-03-02T09:00:00.000000-08:00", True), ("2026-02-28T23:59:00-08:00", False)):
        document = {"created_at": created, "assignment": {"due_date": "2026-03-01T23:59:00.000000-08:00"}}
        (tmp_path / METADATA).write_text(json.dumps(document))
        assert submitted_late(tmp_path) is late
