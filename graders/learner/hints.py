"""Progressive hints: each request shows the next hint of an exercise, and the state file
remembers how many the learner has seen. A course whose hint policy is not ``all`` gives its own
(``given``)."""

from __future__ import annotations

from dataclasses import dataclass

from graders import catalog
from graders.course import HintPolicy
from graders.i18n import _, ngettext
from graders.learner import state
from graders.policy import hint_order
from graders.spec import Hint, Outline


@dataclass(frozen=True)
class ShownHint:
    exercise: Outline
    number: int  # 1-based
    hint: Hint

    @property
    def total(self) -> int:
        return len(self.exercise.hints)


def seen(exercise_id: str) -> int:
    return len(state.load().hints_seen.get(exercise_id, []))


def count(exercise_id: str) -> int:
    return len(catalog.outline(exercise_id).hints)


def _unseen(exercise: Outline, saved: state.State) -> tuple[list[int], list[int]]:
    """The order to show the exercise's hints in (``Exercise.hint_order``), and the unseen ones in it."""
    order = exercise.hint_order(saved.failing.get(exercise.id))
    already = set(saved.hints_seen.get(exercise.id, []))
    return order, [index for index in order if index not in already]


def upcoming(exercise_id: str) -> int | None:
    """The number of the hint ``hint`` shows next; None once all have been seen."""
    unseen = _unseen(catalog.outline(exercise_id), state.load())[1]
    return unseen[0] + 1 if unseen else None


def reveal_next(exercise_id: str) -> tuple[list[ShownHint], bool]:
    """The next unseen hint, remembered as seen: the first one tied to the first check that failed at
    the learner's last check. Once all have been seen, every hint again, in that order (and True:
    they are a repeat)."""
    exercise = catalog.outline(exercise_id)
    saved = state.load()
    order, unseen = _unseen(exercise, saved)
    if not unseen:
        everything = order + [index for index in range(len(exercise.hints)) if index not in order]
        return [ShownHint(exercise, index + 1, exercise.hints[index]) for index in everything], True
    saved.hints_seen[exercise_id] = sorted({*saved.hints_seen.get(exercise_id, []), unseen[0]})
    state.save(saved)
    return [ShownHint(exercise, unseen[0] + 1, exercise.hints[unseen[0]])], False


def given(exercise_id: str, policy: HintPolicy) -> list[ShownHint]:
    """The hints a course's policy gives for the checks that failed at the learner's last check, all at
    once (``graders.policy``): under ``nudge`` the first hint of the first of them, under ``none`` none."""
    exercise = catalog.outline(exercise_id)
    failing = state.load().failing.get(exercise_id, [])
    return [ShownHint(exercise, index + 1, exercise.hints[index]) for index in hint_order(exercise, failing, policy)]


def forget(exercise_id: str) -> None:
    saved = state.load()
    if saved.hints_seen.pop(exercise_id, None) is not None:
        state.save(saved)


def checks_helped(shown: ShownHint) -> list[str]:
    """The checks a hint is for, by the titles check prints; hidden checks only counted (their
    titles are not shown to students who run the public checks)."""
    by_id = {check.id: check for check in shown.exercise.checks}
    named, hidden = [], 0
    for check_id in shown.hint.checks:
        check = by_id.get(check_id)
        if check is not None and check.visibility == "hidden":
            hidden += 1
        else:
            named.append(_(check.title) if check is not None else check_id)
    if hidden:
        named.append(ngettext("{count} hidden check", "{count} hidden checks", hidden).format(count=hidden))
    return named
