"""A course's hint policy, applied: what its students are shown of an exercise's help.

- ``all`` (a self-learner's, outside a course): every hint; a report gives the one for the check
  that failed first, and ``make hint`` the rest one by one;
- ``nudge``: the first hint of the check that failed first, and nothing more (``make hint`` too);
  copies handed to students keep only each check's first hint;
- ``none``: no hint at all, and the checks' messages without the "Hint:" sentence they end with.

A hint shown before grades are published is chosen from the public checks' outcomes alone
(``public_only``), so that it says nothing about a hidden check.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from graders.course import HintPolicy
from graders.i18n import _
from graders.results import ExerciseResult
from graders.spec import HINT_SENTENCE, Exercise, Hint, Outline


def hint_order(exercise: Outline, failing: Sequence[str], policy: HintPolicy) -> list[int]:
    """The indices of the hints the policy gives for the checks ``failing`` (in the exercise's order),
    in the order to read them: ``all``, as ``Outline.hint_order`` orders them; ``nudge``, only the first
    hint tied to a failing check; ``none``, none."""
    if policy == "none":
        return []
    order = exercise.hint_order(failing)
    if policy == "nudge":
        return [index for index in order if set(exercise.hints[index].checks) & set(failing)][:1]
    return order


def hints_for(exercise: Exercise, result: ExerciseResult, policy: HintPolicy, public_only: bool = False) -> list[Hint]:
    """The hint a report gives for ``result``: the one for the check that failed first (none when
    every check passed, the file could not be graded, or under ``none``); under ``nudge`` only a hint
    tied to a failing check; ``public_only``: chosen from the public checks' outcomes alone."""
    if policy == "none" or result.status == "passed" or result.error:  # an error's message says what to do
        return []
    outcomes = {c.id: c.passed for c in result.checks if not public_only or c.visibility == "public"}
    failing = exercise.failing(outcomes)
    if public_only and not failing:
        return []
    order = hint_order(exercise, failing, policy)
    return [exercise.hints[order[0]]] if order else []


def shipped_hints(exercise: Exercise, policy: HintPolicy) -> tuple[int, ...]:
    """The indices of the hints a copy handed to students keeps: all, each check's first, or none."""
    if policy == "all":
        return tuple(range(len(exercise.hints)))
    if policy == "none":
        return ()
    firsts = {
        next((index for index, hint in enumerate(exercise.hints) if check.id in hint.checks), None)
        for check in exercise.checks
    }
    return tuple(sorted(index for index in firsts if index is not None))


def without_hint(text: str) -> str:
    """A message without the "Hint: ..." that ends it (``graders.spec.fail`` writes it that way)."""
    marker = _(HINT_SENTENCE).format(message="", hint="")
    return text.split(marker, 1)[0] if marker.strip() else text


def shown(results: Sequence[ExerciseResult], policy: HintPolicy) -> list[ExerciseResult]:
    """The results as the policy lets students read them: under ``none``, no message's hint."""
    if policy != "none":
        return list(results)
    return [
        dataclasses.replace(
            result,
            error=without_hint(result.error) if result.error else result.error,
            checks=tuple(dataclasses.replace(check, message=without_hint(check.message)) for check in result.checks),
        )
        for result in results
    ]
