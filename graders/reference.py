"""The reference's observations: the probe run on the solution, in a child that never saw
student code, and cached per exercise and seed. A copy of forwardpass without solutions/ (the
student kit, the Gradescope autograder) ships them as data files instead (graders/release/)."""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Iterable
from pathlib import Path

import torch

from graders import probe, registry, wire
from graders.engine.client import Engine
from graders.engine.limits import Limits
from graders.explain import explain_error, explain_outcome
from graders.spec import Exercise, Observations

CACHE = Path(os.environ.get("FORWARDPASS_CACHE", registry.ROOT / ".cache")) / "reference"
# Where a copy without solutions/ keeps the observations it ships: EXERCISE.public.pt (public checks
# only) or EXERCISE.seed-N.pt (hidden checks too, drawn from secret seed N).
SHIPPED = registry.ROOT / "references"
# The reference gets room to spare: it must never be the one that runs out of time.
REFERENCE_LIMITS = Limits(wall_seconds=120, cpu_seconds=120)


class ReferenceFailed(RuntimeError):
    """The reference solution did not run cleanly under its own probe: an authoring bug."""


def cache_key(exercise: Exercise, secret_seed: int) -> str:
    """Changes whenever anything that shapes the reference's observations changes."""
    digest = hashlib.sha256()
    for path in (registry.solution_path(exercise), Path(sys.modules[exercise.run_probe.__module__].__file__)):
        digest.update(path.read_bytes())
    digest.update(Path(probe.__file__).read_bytes())
    digest.update(f"{wire.FORMAT}|{torch.__version__}|{registry.PUBLIC_SEED}|{secret_seed}".encode())
    return digest.hexdigest()[:20]


def cached_path(exercise: Exercise, secret_seed: int) -> Path:
    return CACHE / f"{exercise.id}-{cache_key(exercise, secret_seed)}.pt"


def load_cached(exercise: Exercise, secret_seed: int) -> Observations | None:
    path = cached_path(exercise, secret_seed)
    try:
        return wire.decode(path.read_bytes())
    except (OSError, wire.InvalidObservations):
        return None


def shipped_path(exercise: Exercise, secret_seed: int | None) -> Path:
    return SHIPPED / f"{exercise.id}.{'public' if secret_seed is None else f'seed-{secret_seed}'}.pt"


def load_shipped(exercise: Exercise, secret_seed: int) -> Observations | ReferenceFailed:
    """The shipped observations for this secret seed, else the public ones."""
    for path in (shipped_path(exercise, secret_seed), shipped_path(exercise, None)):
        try:
            return wire.decode(path.read_bytes())
        except FileNotFoundError:
            continue
        except (OSError, wire.InvalidObservations) as error:
            return ReferenceFailed(f"{exercise.id}: the shipped reference observations {path} are unreadable: {error}")
    return ReferenceFailed(
        f"{exercise.id}: no reference solution ({registry.solution_path(exercise)}) and no shipped observations "
        f"({shipped_path(exercise, None)})"
    )


def references(
    exercises: Iterable[Exercise], engine: Engine, secret_seed: int
) -> dict[str, Observations | ReferenceFailed]:
    """Observations of each exercise's reference, computed where the cache has none; an
    exercise whose reference fails maps to the failure, and the others are unaffected."""
    found: dict[str, Observations | ReferenceFailed] = {}
    missing = []
    for exercise in {e.id: e for e in exercises}.values():
        if not registry.solution_path(exercise).exists():
            found[exercise.id] = load_shipped(exercise, secret_seed)
            continue
        cached = load_cached(exercise, secret_seed)
        if cached is not None:
            found[exercise.id] = cached
        else:
            missing.append(exercise)
    jobs = [
        engine.job(
            exercise.id,
            registry.solution_path(exercise).read_bytes(),
            registry.solution_path(exercise).name,
            kind="reference",
            hidden=True,
            secret_seed=secret_seed,
            limits=REFERENCE_LIMITS,
        )
        for exercise in missing
    ]
    for outcome in engine.run(jobs):
        exercise = registry.get(outcome.job.exercise)
        observations = outcome.observations
        if observations is None:
            why = explain_outcome(outcome.report, REFERENCE_LIMITS, outcome.problem)
            found[exercise.id] = ReferenceFailed(
                f"{exercise.id}: the reference solution produced no observations: {why}\n{outcome.report.stderr}"
            )
            continue
        if observations.errors:
            key, error = next(iter(observations.errors.items()))
            found[exercise.id] = ReferenceFailed(
                f"{exercise.id}: the reference failed at {key!r}: {explain_error(error)}"
            )
            continue
        path = cached_path(exercise, secret_seed)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.partial")
        partial.write_bytes(wire.encode({"values": observations.values, "errors": {}, "stopped_by": None}))
        os.replace(partial, path)
        found[exercise.id] = observations
    return found
