"""The reference's observations written as data files, for copies of forwardpass that ship
without solutions/ (``graders.reference.load_shipped`` reads them back).

The student kit gets the public ones: the probe run on each solution with its hidden parts off,
so nothing a hidden check compares against is in them. The Gradescope autograder gets the whole
observations under the course's secret seed.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from graders import reference, registry
from graders.spec import Exercise, Observations


def public_observations(exercises: Sequence[Exercise]) -> dict[str, Observations]:
    """Each solution's observations with the probe's hidden parts off."""
    # The secret seed is unused: no hidden part runs.
    return _or_raise(reference.run_solutions(exercises, hidden=False, secret_seed=registry.DEFAULT_SECRET_SEED))


def all_observations(exercises: Sequence[Exercise], secret_seed: int) -> dict[str, Observations]:
    """Each solution's observations with the hidden parts on, as grading with ``--all`` uses them."""
    return _or_raise(reference.references(exercises, secret_seed))


def _or_raise(found: dict[str, Observations | reference.ReferenceFailed]) -> dict[str, Observations]:
    """A release is all or nothing: one failing reference stops it."""
    for result in found.values():
        if isinstance(result, reference.ReferenceFailed):
            raise result
    return found  # type: ignore[return-value]


def write(folder: Path, observations: dict[str, Observations], secret_seed: int | None) -> list[Path]:
    """One file per exercise, named as ``reference.shipped_path`` looks for it under ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for exercise_id, found in sorted(observations.items()):
        name = reference.shipped_path(registry.get(exercise_id), secret_seed).name
        (folder / name).write_bytes(reference.encoded(found))
        written.append(folder / name)
    return written
