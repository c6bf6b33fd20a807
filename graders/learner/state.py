"""The self-learner's small memory between runs: the hints seen per exercise and the exercise
they are on. A JSON file in ``.forwardpass/`` (git-ignored), or in ``$FORWARDPASS_STATE``."""

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
    hints_seen: dict[str, int] = field(default_factory=dict)
    current: str | None = None  # the first unfinished exercise at the last check


def load() -> State:
    """The saved state; a missing or damaged file is a fresh start, never an error."""
    try:
        data = json.loads(state_file().read_text(encoding="utf-8"))
        hints = {str(key): int(value) for key, value in dict(data.get("hints_seen", {})).items()}
        current = data.get("current")
        return State(hints, current if isinstance(current, str) else None)
    except (OSError, ValueError, TypeError, AttributeError):
        return State()


def save(state: State) -> None:
    """Write atomically, so an interrupted run leaves the old state rather than half a file."""
    write_atomically(state_file(), json.dumps(asdict(state), indent=1, sort_keys=True) + "\n")


def remember_next(results: Sequence[ExerciseResult]) -> None:
    """After a learner's folder was graded: the exercise they are on, for ``hint`` without one.
    A read-only checkout still grades; it only forgets."""
    if not is_one_learner(results):
        return
    upcoming = first_unfinished(results)
    state = load()
    if state.current != (upcoming.id if upcoming else None):
        state.current = upcoming.id if upcoming else None
        with contextlib.suppress(OSError):
            save(state)
