"""The reference's observations written as data files, for copies of forwardpass that ship
without solutions/ (``graders.reference.load_shipped`` reads them back).

The student kit gets the public ones: the probe run on each solution with its hidden parts off,
so nothing a hidden check compares against is in them. The Gradescope autograder gets the whole
observations under the course's secret seed.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from graders import reference, registry, wire
from graders.engine.client import Engine
from graders.explain import explain_error, explain_outcome
from graders.spec import Exercise, Observations


def public_observations(exercises: Sequence[Exercise], engine: Engine) -> dict[str, Observations]:
    """Each solution's observations with the probe's hidden parts off."""
    jobs = [
        engine.job(
            exercise.id,
            registry.solution_path(exercise).read_bytes(),
            registry.solution_path(exercise).name,
            kind="reference",
            hidden=False,
            secret_seed=registry.DEFAULT_SECRET_SEED,  # unused: no hidden part runs
            limits=reference.REFERENCE_LIMITS,
        )
        for exercise in exercises
    ]
    found = {}
    for outcome in engine.run(jobs):
        exercise_id, observations = outcome.job.exercise, outcome.observations
        if observations is None:
            why = explain_outcome(outcome.report, reference.REFERENCE_LIMITS, outcome.problem)
            raise reference.ReferenceFailed(f"{exercise_id}: the reference solution produced no observations: {why}")
        if observations.errors:
            key, error = next(iter(observations.errors.items()))
            raise reference.ReferenceFailed(f"{exercise_id}: the reference failed at {key!r}: {explain_error(error)}")
        found[exercise_id] = observations
    return found


def all_observations(exercises: Sequence[Exercise], engine: Engine, secret_seed: int) -> dict[str, Observations]:
    """Each solution's observations with the hidden parts on, as grading with ``--all`` uses them."""
    found = reference.references(exercises, engine, secret_seed)
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
        (folder / name).write_bytes(wire.encode({"values": found.values, "errors": {}, "stopped_by": None}))
        written.append(folder / name)
    return written
