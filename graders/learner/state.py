"""The self-learner's small memory between runs: the hints seen per exercise, the checks each
exercise failed at the last check (which hints follow), and the exercise they are on. A JSON file
in ``.forwardpass/`` (git-ignored), or in ``$FORWARDPASS_STATE``."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from graders import registry
from graders.files import write_atomically
from graders.learner.progress import first_unfinished, is_one_learner
from graders.results import ExerciseResult


def folder() -> Path:
    return Path(os.environ.get("FORWARDPASS_STATE") or registry.ROOT / ".forwardpass")


def state_file() -> Path:
    return folder() / "state.json"


@dataclass
class State:
    hints_seen: dict[str, list[int]] = field(default_factory=dict)  # the indices of the hints shown
    current: str | None = None  # the first unfinished exercise at the last check
    failing: dict[str, list[str]] = field(default_factory=dict)  # per exercise, its failing checks at the last check


def seen_indices(value: object) -> list[int]:
    """Hints seen, as saved: a list of indices (an older state saved how many, the first ones)."""
    if isinstance(value, int):
        return list(range(value))
    return sorted({int(index) for index in value})  # type: ignore[union-attr]


def load() -> State:
    """The saved state; a missing or damaged file is a fresh start, never an error."""
    try:
        data = json.loads(state_file().read_text(encoding="utf-8"))
        hints = {str(key): seen_indices(value) for key, value in dict(data.get("hints_seen", {})).items()}
        failing = {str(key): [str(c) for c in value] for key, value in dict(data.get("failing", {})).items()}
        current = data.get("current")
        return State(hints, current if isinstance(current, str) else None, failing)
    except (OSError, ValueError, TypeError, AttributeError):
        return State()


def save(state: State) -> None:
    """Write atomically, so an interrupted run leaves the old state rather than half a file."""
    write_atomically(state_file(), json.dumps(asdict(state), indent=1, sort_keys=True) + "\n")


def remember(results: Sequence[ExerciseResult]) -> None:
    """After a learner's exercises were graded: the exercise they are on, for ``hint`` without one,
    and the checks each one failed, which ``hint`` follows. A read-only checkout still grades; it
    only forgets."""
    state = load()
    before = asdict(state)
    if len({result.id for result in results}) == len(results):  # a learner's files, not a class's
        for result in results:
            state.failing[result.id] = [check.id for check in result.checks if not check.passed]
    if is_one_learner(results):
        upcoming = first_unfinished(results)
        state.current = upcoming.id if upcoming else None
    if asdict(state) != before:
        with contextlib.suppress(OSError):
            save(state)
