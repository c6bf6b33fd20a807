"""Where a self-learner stands: each exercise passed, failed (in progress) or not started."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

from graders.results import ExerciseResult

Progress = Literal["passed", "failed", "not started"]


def progress_of(result: ExerciseResult) -> Progress:
    """``not started`` is a stub: nothing passes, and every check failed on code not written yet."""
    if result.status == "passed":
        return "passed"
    unfinished = result.checks and all(not check.passed and check.unfinished for check in result.checks)
    return "not started" if unfinished else "failed"


def done(results: Iterable[ExerciseResult]) -> int:
    return sum(result.status == "passed" for result in results)


def first_unfinished(results: Iterable[ExerciseResult]) -> ExerciseResult | None:
    """The next exercise to work on: the first one, in curriculum order, that has not passed."""
    return next((result for result in sorted(results, key=lambda r: r.id) if result.status != "passed"), None)


def is_one_learner(results: Sequence[ExerciseResult]) -> bool:
    """Several exercises, each once: one person's folder, not a class of submissions."""
    ids = [result.id for result in results]
    return len(ids) > 1 and len(set(ids)) == len(ids)
