"""Where a self-learner stands: each exercise passed, failed (in progress) or not started."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

from graders.explain import NOT_IMPLEMENTED
from graders.results import ExerciseResult

Progress = Literal["passed", "failed", "not started"]


def progress_of(result: ExerciseResult) -> Progress:
    """``not started`` is a stub: nothing passes, and every reason is a ``not implemented yet``."""
    if result.status == "passed":
        return "passed"
    if any(check.passed for check in result.checks):
        return "failed"
    reasons = [result.error] if result.error else [check.message for check in result.checks]
    return "not started" if reasons and all(NOT_IMPLEMENTED in reason for reason in reasons) else "failed"


def done(results: Iterable[ExerciseResult]) -> int:
    return sum(result.status == "passed" for result in results)


def first_unfinished(results: Iterable[ExerciseResult]) -> ExerciseResult | None:
    """The next exercise to work on: the first one, in curriculum order, that has not passed."""
    return next((result for result in sorted(results, key=lambda r: r.id) if result.status != "passed"), None)


def is_one_learner(results: Sequence[ExerciseResult]) -> bool:
    """Several exercises, each once: one person's folder, not a class of submissions."""
    ids = [result.id for result in results]
    return len(ids) > 1 and len(set(ids)) == len(ids)
