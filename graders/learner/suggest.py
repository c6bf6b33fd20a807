"""The next command to type, in the form the learner is using: ``make hint EX=05`` when they came
through make, ``python -m graders hint ex05`` otherwise."""

from __future__ import annotations

import os
import shlex
from collections.abc import Sequence
from pathlib import Path

from graders import registry
from graders.learner.targets import number


def through_make() -> bool:
    return "MAKELEVEL" in os.environ


def command(action: str, exercise: str | None = None, force: bool = False) -> str:
    """``action`` (hint, reset, solution; check and watch through make) for one exercise, or for
    them all."""
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
    if force:
        parts.append("--force")
    return " ".join(parts)


def again(action: str, paths: Sequence[str] = (), exercise: str | None = None) -> str:
    """``check`` or ``watch`` of ``paths`` as the learner typed them, with ``--exercise`` where they
    gave it: the command they ran, to run again. Through make, the target that runs the same: ``EX=05``
    for one exercise's file."""
    if through_make():
        files = [Path(path) for path in paths if Path(path).is_file()]
        return command(action, registry.lookup(files[0].name) if len(paths) == len(files) == 1 else None)
    parts = ["python -m graders", action, *(shlex.quote(path) for path in paths)]
    if exercise:
        parts += ["--exercise", shlex.quote(exercise)]
    return " ".join(parts)
