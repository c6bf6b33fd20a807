"""The reference's observations: the probe run on the solution, in a child that never saw
student code, and cached per exercise and seed. A copy of forwardpass without solutions/ (the
student kit, the Gradescope autograder) ships them as data files instead (graders/release/).

Solutions run on an engine of their own, which never forks a student's worker: a worker starts as
a copy of its zygote, so nothing a solution did may ever have passed through that zygote."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from collections.abc import Iterable
from pathlib import Path

import torch

from graders import probe, registry, wire
from graders.engine.client import Engine, Outcome
from graders.engine.limits import Limits
from graders.explain import explain_error, explain_outcome
from graders.files import write_atomically
from graders.spec import Exercise, Observations

CACHE = registry.CACHE / "reference"
# Where a copy without solutions/ keeps the observations it ships: EXERCISE.public.obs (public checks
# only) or EXERCISE.seed-N.obs (hidden checks too, drawn from secret seed N).
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
    return CACHE / f"{exercise.id}-{cache_key(exercise, secret_seed)}.obs"


def load_cached(exercise: Exercise, secret_seed: int) -> Observations | None:
    path = cached_path(exercise, secret_seed)
    try:
        return wire.decode(path.read_bytes())
    except (OSError, wire.InvalidObservations):
        return None


def encoded(observations: Observations) -> bytes:
    """A clean reference's observations as the cache and the shipped data files store them."""
    return wire.encode({"values": observations.values, "errors": {}, "stopped_by": None})


def shipped_path(exercise: Exercise, secret_seed: int | None) -> Path:
    return SHIPPED / f"{exercise.id}.{'public' if secret_seed is None else f'seed-{secret_seed}'}.obs"


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


def keep_private(*folders: Path) -> None:
    """Make the reference's observations in ``folders`` readable by the grader's user alone (the
    folder 0700, each file 0600), also where an older version left them readable or a kit's archive
    unpacked them so: at reduced isolation as root, their permissions are all that keeps a worker
    from reading them. Where the grader may not change them, they stay as they are."""
    for folder in folders:
        with contextlib.suppress(OSError):
            folder.chmod(0o700)
            for path in folder.iterdir():
                if not path.is_symlink():
                    with contextlib.suppress(OSError):
                        path.chmod(0o600)


def references(exercises: Iterable[Exercise], secret_seed: int) -> dict[str, Observations | ReferenceFailed]:
    """Observations of each exercise's reference, computed where the cache has none; an
    exercise whose reference fails maps to the failure, and the others are unaffected."""
    keep_private(CACHE, SHIPPED)
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
    for exercise_id, result in run_solutions(missing, hidden=True, secret_seed=secret_seed).items():
        if isinstance(result, Observations):
            write_atomically(cached_path(registry.get(exercise_id), secret_seed), encoded(result), private=True)
        found[exercise_id] = result
    return found


def run_solutions(
    exercises: Iterable[Exercise], *, hidden: bool, secret_seed: int
) -> dict[str, Observations | ReferenceFailed]:
    """The probe run on each solution, uncached, on an engine started for them (and only if there
    are any); with ``hidden`` off, nothing a hidden check compares against is computed."""
    exercises = list(exercises)
    if not exercises:
        return {}
    preload = {name for exercise in exercises for name in exercise.preload}
    with Engine(jobs=min(len(exercises), os.cpu_count() or 1), preload=preload) as engine:
        jobs = [
            engine.job(
                exercise.id,
                registry.solution_path(exercise).read_bytes(),
                registry.solution_path(exercise).name,
                kind="reference",
                hidden=hidden,
                secret_seed=secret_seed,
                limits=REFERENCE_LIMITS,
            )
            for exercise in exercises
        ]
        return {outcome.job.exercise: observations_or_failure(outcome) for outcome in engine.run(jobs)}


def observations_or_failure(outcome: Outcome) -> Observations | ReferenceFailed:
    """The observations of a solution's job, or why they cannot serve as the reference."""
    exercise_id, observations = outcome.job.exercise, outcome.observations
    if observations is None:
        why = explain_outcome(outcome.report, REFERENCE_LIMITS, outcome.problem)
        return ReferenceFailed(
            f"{exercise_id}: the reference solution produced no observations: {why}\n{outcome.report.stderr}"
        )
    if observations.errors:
        key, error = next(iter(observations.errors.items()))
        return ReferenceFailed(f"{exercise_id}: the reference failed at {key!r}: {explain_error(error)}")
    return observations
