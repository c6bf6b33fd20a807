"""Every exercise's grader against its reference, its stub, and the test submissions in
tests/submissions/<exercise>/ — each of which states in its leading comments what it must score,
under the default secret seed and another (conftest.secret_seeds)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Case, all_cases, selected_ids

from graders import registry
from graders.results import ExerciseResult

CASES = all_cases()


def failure_text(result: ExerciseResult) -> str:
    return "\n".join([result.error or "", *(check.message for check in result.checks if not check.passed)])


@pytest.mark.parametrize("exercise_id", selected_ids())
def test_reference_scores_full_marks(curriculum_results: dict[Path, ExerciseResult], exercise_id: str) -> None:
    result = curriculum_results[registry.solution_path(registry.get(exercise_id))]
    assert result.status == "passed", failure_text(result)
    assert result.score == result.max_score > 0


@pytest.mark.parametrize("exercise_id", selected_ids())
def test_stub_scores_zero_cleanly(curriculum_results: dict[Path, ExerciseResult], exercise_id: str) -> None:
    result = curriculum_results[registry.stub_path(registry.get(exercise_id))]
    assert result.score == 0, [check.id for check in result.checks if check.passed]
    text = failure_text(result)
    assert "not implemented yet" in text
    assert "Traceback" not in text
    assert all(check.message for check in result.checks)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_submission_loses_exactly_its_checks(curriculum_results: dict[Path, ExerciseResult], case: Case) -> None:
    result = curriculum_results[case.path]
    failed = {check.id for check in result.checks if not check.passed}
    expected = {check.id for check in result.checks} if case.fails is None else set(case.fails)
    assert failed == expected, f"failed {sorted(failed)}, expected {sorted(expected)}:\n{failure_text(result)}"
    assert result.status == case.status, failure_text(result)
    text = failure_text(result)
    for message in case.messages:
        assert message in text, f"{message!r} is not in:\n{text}"
    assert "Traceback" not in text
