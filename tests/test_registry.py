"""The suite checks itself, like rustlings' dev check: every exercise in the registry has what a
student and a grader need, and a message tells the author what is missing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import SUBMISSIONS, read_case

from graders import registry
from graders.stubs import BEGIN, END

CURRICULUM = (
    "ex01_my_model",
    "ex02_init_vs_forward",
    "ex03_containers",
    "ex04_call_vs_forward",
    "ex05_activation_recorder",
    "ex06_module_tree",
    "ex07_params_and_buffers",
    "ex08_manual_sgd",
    "ex09_freeze",
    "ex10_checkpoint",
    "ex11_remap_keys",
    "ex12_partial_load",
    "ex13_evaluate",
    "ex14_transfer_learning",
)


WRONG, CORRECT = 12, 3  # test submissions per exercise, at least


def test_the_registry_holds_the_curriculum_in_order() -> None:
    assert registry.ids()[: len(CURRICULUM)] == CURRICULUM  # a course may add its own after them


@pytest.mark.parametrize("exercise_id", registry.ids())
def test_each_exercise_is_complete(exercise_id: str) -> None:
    exercise = registry.get(exercise_id)
    solution, stub = registry.solution_path(exercise), registry.stub_path(exercise)
    problems = []
    if not solution.exists():
        problems.append(f"write the reference solution {solution.relative_to(registry.ROOT)}")
    elif BEGIN not in solution.read_text():
        problems.append(f"mark the code students write in {solution.name} with {BEGIN} / ### END SOLUTION")
    if not stub.exists():
        problems.append(f"generate the stub with `make stubs` ({stub.relative_to(registry.ROOT)} is missing)")
    if not 1 <= len(exercise.hints) <= 6:
        problems.append(f"give 1 to 6 hints, each tied to the checks it helps with (it has {len(exercise.hints)})")
    check_ids = {check.id for check in exercise.checks}
    for hint in exercise.hints:
        unknown = set(hint.checks) - check_ids
        if unknown:
            problems.append(f"a hint names checks that do not exist: {sorted(unknown)}")
    if not any(check.visibility == "hidden" for check in exercise.checks):
        problems.append("add at least one hidden check, so that hard-coding the public case fails")
    if exercise.run_probe is None:
        problems.append("define the probe with @exercise.probe")
    cases = [read_case(path) for path in sorted((SUBMISSIONS / exercise_id).glob("*.py"))]
    wrong = [c for c in cases if c.path.name.startswith("wrong_")]
    correct = [c for c in cases if c.path.name.startswith("correct_")]
    hidden_ids = {check.id for check in exercise.checks if check.visibility == "hidden"}
    hidden_only = [c for c in wrong if c.fails and c.fails <= hidden_ids]
    folder = f"tests/submissions/{exercise_id}/"
    if len(wrong) < WRONG:
        problems.append(
            f"add wrong submissions, as students go wrong, to {folder} (wrong_*.py: {len(wrong)} of {WRONG})"
        )
    if 3 * len(hidden_only) < len(wrong):
        problems.append(
            f"at least a third of the wrong submissions must fail hidden checks only ({len(hidden_only)} of "
            f"{len(wrong)} do): mistakes the public example does not show"
        )
    if len(correct) < CORRECT:
        problems.append(
            f"add different-but-correct submissions to {folder} (correct_*.py: {len(correct)} of {CORRECT})"
        )
    if any(c.status != "passed" or c.fails for c in correct):
        problems.append("a correct_*.py submission must expect `# status: passed` and `# fails: none`")
    if any(c.status != "failed" or not c.fails for c in wrong):
        problems.append(
            "a wrong_*.py submission is graded and loses some checks: `# status: failed` (broken_*.py: errors)"
        )
    unexplained = [c.path.name for c in wrong if not c.messages]
    if unexplained:
        problems.append(f"say with `# message:` what the feedback must name about the mistake in {unexplained}")
    for case in cases:
        unknown = (case.fails or set()) - check_ids
        if unknown:
            problems.append(f"{case.path.name} expects checks that do not exist: {sorted(unknown)}")
    assert not problems, f"{exercise_id} is not complete:\n- " + "\n- ".join(problems)


def test_check_ids_are_short_snake_case() -> None:
    bad = [
        f"{exercise_id}.{check.id}"
        for exercise_id in registry.ids()
        for check in registry.get(exercise_id).checks
        if not re.fullmatch(r"[a-z][a-z0-9_]{1,40}", check.id)
    ]
    assert not bad, f"rename these checks to short snake_case ids: {bad}"


def solution_lines(path: Path) -> list[str]:
    """The lines of code inside a solution's regions, whitespace removed: what a student writes."""
    lines, inside = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        marker = line.strip()
        if marker in (BEGIN, END):
            inside = marker == BEGIN
        elif inside and marker and not marker.startswith("#"):
            lines.append("".join(marker.split()))
    return lines


@pytest.mark.parametrize("exercise_id", registry.ids())
def test_no_hint_gives_away_a_line_of_the_solution(exercise_id: str) -> None:
    exercise = registry.get(exercise_id)
    lines = [line for line in solution_lines(registry.solution_path(exercise)) if len(line) >= 8]
    given = [(hint.text, line) for hint in exercise.hints for line in lines if line in "".join(hint.text.split())]
    assert not given, f"{exercise_id}: say these hints in words, without the solution's line of code: {given}"
