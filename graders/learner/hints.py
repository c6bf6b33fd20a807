"""Progressive hints: each request shows the next hint of an exercise, and the state file
remembers how many the learner has seen."""

from __future__ import annotations

from dataclasses import dataclass

from graders import registry
from graders.learner import state
from graders.spec import Exercise, Hint


@dataclass(frozen=True)
class ShownHint:
    exercise: Exercise
    number: int  # 1-based
    hint: Hint

    @property
    def total(self) -> int:
        return len(self.exercise.hints)


def seen(exercise_id: str) -> int:
    return state.load().hints_seen.get(exercise_id, 0)


def count(exercise_id: str) -> int:
    return len(registry.get(exercise_id).hints)


def reveal_next(exercise_id: str) -> tuple[list[ShownHint], bool]:
    """The next unseen hint, remembered as seen; once all have been seen, every hint again
    (and True: they are a repeat)."""
    exercise = registry.get(exercise_id)
    saved = state.load()
    already = saved.hints_seen.get(exercise_id, 0)
    if already >= len(exercise.hints):
        return [ShownHint(exercise, index + 1, hint) for index, hint in enumerate(exercise.hints)], True
    saved.hints_seen[exercise_id] = already + 1
    state.save(saved)
    return [ShownHint(exercise, already + 1, exercise.hints[already])], False


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
            named.append(check.title if check is not None else check_id)
    if hidden:
        named.append(f"{hidden} hidden check{'s' if hidden > 1 else ''}")
    return named
