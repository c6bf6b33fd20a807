"""A graded course's pieces, without grading: the course file, the hint policy, and the one rule that
tells which file is which exercise."""

from __future__ import annotations

import argparse
import ast
import dataclasses
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from graders import registry
from graders.bulk.feedback import feedback_markdown
from graders.bulk.results import StudentResults
from graders.commands import COURSE_VARIABLE, SEED_VARIABLE, UsageError, course_of, secret_seed
from graders.course import FILE_NAME, PUBLIC_FILE_NAME, SELF_LEARNER, CourseError, initial, read, render, write
from graders.matching import Handed, Matching, by_code, graded_sentence, identify, match, sentences
from graders.policy import hints_for, shipped_hints, shown, without_hint
from graders.release.strip import hints_tuple, keep_hints
from graders.results import CheckResult, ExerciseResult
from graders.spec import Exercise, Hint, fail
from graders.stubs import stub_for

SUBMISSIONS = Path(__file__).parent / "submissions"


def graders(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "graders", *args]
    return subprocess.run(command, cwd=registry.ROOT, env=env, capture_output=True, text=True, timeout=300)


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


def test_without_a_course_file_the_commands_read_the_public_one_of_a_kit_which_holds_no_seed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(registry, "ROOT", tmp_path)
    monkeypatch.delenv(COURSE_VARIABLE, raising=False)
    assert course_of(argparse.Namespace()) is SELF_LEARNER  # a self-learner's folder: no course file at all
    course = initial("none", ("ex03_containers",), 0.1, seed=123456789012)
    public = tmp_path / PUBLIC_FILE_NAME
    public.write_text(render(course.public()))
    assert "secret_seed" not in public.read_text() and "123456789012" not in public.read_text()
    found = course_of(argparse.Namespace())
    assert found == dataclasses.replace(course, secret_seed=None, path=public)
    write(course, tmp_path / FILE_NAME)
    assert course_of(argparse.Namespace()) == dataclasses.replace(course, path=tmp_path / FILE_NAME)  # it comes first
    public.write_text(render(course))
    with pytest.raises(CourseError, match="public file holds no secret_seed"):
        read(public)


def test_the_course_file_is_ignored_by_git_and_never_in_the_kit() -> None:
    ignored = subprocess.run(["git", "check-ignore", "--quiet", FILE_NAME], cwd=registry.ROOT, timeout=60)
    assert ignored.returncode == 0, f"git does not ignore {FILE_NAME}"
    from graders.release.kit import kit_files

    course = initial("nudge", ("ex01_my_model", "ex02_init_vs_forward"))
    files = kit_files({}, course)
    assert not any(name.endswith(FILE_NAME) for name in files)
    assert not any(str(course.secret_seed).encode() in data for data in files.values())
    assert sorted(name for name in files if name.startswith("exercises/ex")) == [
        "exercises/ex01_my_model.py",
        "exercises/ex02_init_vs_forward.py",
    ]


@pytest.mark.parametrize(
    "command",
    [
        ("grade", "{tmp}/class", "--out", "{tmp}/grades"),
        ("gradescope", "--out", "{tmp}/autograder.zip"),
        ("nbgrader", "--course", "{tmp}/nbgrader", "--no-release"),
    ],
)
def test_grading_for_credit_with_the_public_seed_is_refused_with_the_way_out(tmp_path: Path, command) -> None:
    (tmp_path / "class" / "kim").mkdir(parents=True)
    (tmp_path / "class" / "kim" / "ex01_my_model.py").write_text("")
    args = [word.format(tmp=tmp_path) for word in command]
    environment = {k: v for k, v in os.environ.items() if k not in (COURSE_VARIABLE, SEED_VARIABLE)}
    refused = graders(*args, env=environment)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert f"public default seed ({registry.DEFAULT_SECRET_SEED})" in refused.stderr
    assert "python -m graders course init" in refused.stderr and "--seed-not-secret" in refused.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["class"]  # nothing was written
    if command[0] == "nbgrader":  # asked for by name, the public seed is used, and said to be no secret
        allowed = graders(*args, "--seed-not-secret", env=environment)
        assert allowed.returncode == 0, allowed.stderr
        config = (tmp_path / "nbgrader" / "nbgrader_config.py").read_text()
        assert f"secret_seed = {registry.DEFAULT_SECRET_SEED}" in config and "no secret" in config


def test_the_seed_is_the_one_given_else_the_course_files_and_never_the_public_one_unasked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(SEED_VARIABLE, raising=False)
    unasked, asked = argparse.Namespace(seed=None), argparse.Namespace(seed=None, seed_not_secret=True)
    own = dataclasses.replace(SELF_LEARNER, secret_seed=123456789012)
    assert secret_seed(unasked, own) == 123456789012
    assert secret_seed(argparse.Namespace(seed=5), own) == 5
    monkeypatch.setenv(SEED_VARIABLE, "77")
    assert secret_seed(unasked, own) == 77
    monkeypatch.delenv(SEED_VARIABLE)
    public = dataclasses.replace(SELF_LEARNER, secret_seed=registry.DEFAULT_SECRET_SEED)
    for course in (SELF_LEARNER, public):  # no seed at all, or a course file that holds the public one
        with pytest.raises(UsageError, match="public default seed"):
            secret_seed(unasked, course)
        assert secret_seed(asked, course) == secret_seed(unasked, course, for_credit=False) == 271828


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


def test_gradescopes_summary_gives_hints_as_the_policy_allows_and_none_for_a_hidden_check() -> None:
    from graders.release.autograder import hint_lines

    exercise = registry.get("ex03_containers")

    def failing(check_id: str) -> ExerciseResult:
        passed = {c.id: c.id != check_id for c in exercise.checks}
        checks = tuple(
            CheckResult(c.id, c.title, c.points * passed[c.id], c.points, passed[c.id], c.visibility, "")
            for c in exercise.checks
        )
        return ExerciseResult(exercise.id, exercise.title, "f.py", "failed", None, checks)

    first = f"Hint for ex03_containers: {exercise.hints[exercise.hint_order(['linear_layers'])[0]].text}"
    for policy, expected in (("all", [first]), ("nudge", [first]), ("none", [])):
        course = dataclasses.replace(SELF_LEARNER, hints=policy)
        assert hint_lines([failing("linear_layers")], course) == expected, policy
        assert hint_lines([failing("hidden_output_values")], course) == [], policy


def test_a_kit_keeps_only_the_hints_its_policy_hands_out() -> None:
    path = registry.ROOT / "graders" / "exercises" / "ex03_containers.py"
    exercise = registry.get("ex03_containers")
    for policy in ("none", "nudge", "all"):
        kept = shipped_hints(exercise, policy)
        found = hints_tuple(ast.parse(keep_hints(path.read_text(), kept, path.name)))
        texts = [hint.args[0].args[0] if isinstance(hint.args[0], ast.Call) else hint.args[0] for hint in found.elts]
        assert [ast.literal_eval(text) for text in texts] == [exercise.hints[i].text for i in kept]  # N_("...")
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


def one_students_files(folder: Path) -> None:
    """Files matched every way the rule matches: by name (an exNN prefix, an exercise's name, an LMS's
    revision), by code, by elimination; a duplicate; a file that is no exercise file."""
    folder.mkdir(parents=True)
    given = {"ex01_my_model", "ex03_containers", "ex04_call_vs_forward", "ex05_activation_recorder"}
    for exercise_id in registry.ids():
        if exercise_id not in given:
            (folder / f"{exercise_id}.py").write_text(stub_for(registry.solution_path(registry.get(exercise_id))))
    (folder / "homework.py").write_bytes((SUBMISSIONS / "ex01_my_model" / "correct_nn_relu_modules.py").read_bytes())
    for name in ("ex03_containers.py", "ex03_containers-2.py"):
        (folder / name).write_bytes((SUBMISSIONS / "ex03_containers" / "correct_sequential.py").read_bytes())
    code = (SUBMISSIONS / "ex04_call_vs_forward" / "correct_pre_hook.py").read_text()
    cells = [{"cell_type": "code", "source": code, "metadata": {}, "execution_count": None, "outputs": []}]
    (folder / "call_vs_forward.ipynb").write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4}))
    (folder / "mine.py").write_text("print('my own attempt')\n")
    (folder / "notes.txt").write_text("my notes")


def exercise_of_each(matching: Matching) -> dict[str, str]:
    """Which exercise each file was matched to: those graded, and those left for another of theirs."""
    graded = {graded.name: graded.exercise_id for graded in matching.graded}
    return graded | {i.file.name: i.exercise_id for i in matching.ignored if i.why == "duplicate"}


def chosen(matching: Matching) -> dict[str, tuple[str, str]]:
    """The file graded for each exercise, and how the rule told."""
    return {graded.exercise_id: (graded.name, graded.how) for graded in matching.graded}


def test_check_submit_grade_and_gradescope_match_the_same_files_the_same_way(tmp_path: Path) -> None:
    from graders.bulk.inputs import discover
    from graders.commands.check import collect
    from graders.release.autograder import find_files
    from graders.release.submission import pack

    one_students_files(tmp_path / "class" / "kim")
    exercise_of = {f"{e}.py": e for e in registry.ids()} | {
        "homework.py": "ex01_my_model",
        "ex03_containers.py": "ex03_containers",
        "ex03_containers-2.py": "ex03_containers",
        "call_vs_forward.ipynb": "ex04_call_vs_forward",
        "mine.py": "ex05_activation_recorder",
    }
    del exercise_of["ex01_my_model.py"], exercise_of["ex04_call_vs_forward.py"]
    del exercise_of["ex05_activation_recorder.py"]
    by = {"homework.py": "code", "mine.py": "elimination"}
    grade = discover(tmp_path / "class", tmp_path / "grade-staging").students["kim"].matching
    gradescope = find_files(tmp_path / "class" / "kim", tmp_path / "gradescope-staging", registry.ids()).matching
    for matching in (grade, gradescope):
        assert exercise_of_each(matching) == exercise_of
        assert {g.name: g.how for g in matching.graded if g.how != "name"} == by
        assert {i.file.name: i.why for i in matching.ignored} == {
            "ex03_containers.py": "duplicate",  # of one student's files for ex03, the latest revision counts
            "notes.txt": "not_gradable",
        }
    assert sentences(grade) == sentences(gradescope) and chosen(grade) == chosen(gradescope)

    # check grades every .py and .ipynb file as the exercise the rule says, and names the files it
    # matched by their code or by elimination; submit packs those files, and Gradescope reads them alike.
    submissions, notes = collect([str(tmp_path / "class" / "kim")], None)
    assert {Path(s.path).name: s.exercise_id for s in submissions} == exercise_of
    assert notes == [graded_sentence(g) for g in grade.graded if g.how != "name"]
    (tmp_path / "upload").mkdir()
    pack([Path(s.path) for s in submissions], tmp_path / "upload" / "submission.zip")
    packed = find_files(tmp_path / "upload", tmp_path / "zip-staging", registry.ids()).matching
    assert exercise_of_each(packed) == exercise_of and chosen(packed) == chosen(gradescope)


def test_gradescope_says_late_when_its_metadata_has_the_submission_after_the_due_date(tmp_path: Path) -> None:
    from graders.release.autograder import METADATA, submitted_late

    assert not submitted_late(tmp_path)  # a trial run has no metadata: on time
    for created, late in (("2026-03-02T09:00:00.000000-08:00", True), ("2026-02-28T23:59:00-08:00", False)):
        document = {"created_at": created, "assignment": {"due_date": "2026-03-01T23:59:00.000000-08:00"}}
        (tmp_path / METADATA).write_text(json.dumps(document))
        assert submitted_late(tmp_path) is late


def test_a_course_may_set_the_language_its_students_read(tmp_path: Path) -> None:
    path = tmp_path / "course.toml"
    made = graders("course", "init", "--course-file", str(path), "--language", "ko")
    assert made.returncode == 0, made.stderr
    assert read(path).language == "ko" and "language: ko" in made.stdout
    stub = registry.stub_path(registry.get("ex01_my_model"))
    korean = graders("check", str(stub), "--course-file", str(path), "--seed-not-secret")
    assert "아직 구현되지 않았습니다" in korean.stdout, korean.stdout + korean.stderr
    asked = graders("check", str(stub), "--course-file", str(path), "--lang", "en")
    assert "is not implemented yet" in asked.stdout, asked.stdout + asked.stderr
    assert 'language = "ko"' in path.read_text() and '# language = "ko"' in render(initial())
    path.write_text("secret_seed = 5\nlanguage = 'fr'\n")
    with pytest.raises(CourseError, match="language must be one of en, ko"):
        read(path)
