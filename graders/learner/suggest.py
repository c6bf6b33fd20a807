"""The next command to type, in the form the learner is using: ``make hint EX=05`` when they came
through make, ``python -m graders hint ex05`` otherwise."""

from __future__ import annotations

import os
from pathlib import Path

from graders import registry
from graders.learner.targets import number


def through_make() -> bool:
    return "MAKELEVEL" in os.environ


def command(action: str, exercise: str | None = None, force: bool = False, folder: Path | None = None) -> str:
    """``action`` (check, hint, watch, reset, solution) for one exercise or, with ``folder``
    outside exercises/, for that folder."""
    if through_make():
        parts = ["make", action]
        if exercise:
            parts.append(f"EX={number(exercise)}")
        if force:
            parts.append("FORCE=1")
        return " ".join(parts)
    parts = ["python -m graders", action]
    if exercise:
        parts.append(exercise.split("_", 1)[0])
    elif folder is not None and folder.resolve() != registry.EXERCISES.resolve():
        parts.append(os.path.relpath(folder))
    if force:
        parts.append("--force")
    return " ".join(parts)
