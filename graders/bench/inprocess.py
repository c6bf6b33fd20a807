"""Grading without the engine, for comparison only: the probe and the judge in this very process.

Two uses in the benchmarks:

- ``python -m graders.bench.inprocess EXERCISE FILE``: the naive baseline, one fresh interpreter per
  (submission, exercise), as a grader without a warm engine works (nbgrader starts a kernel per
  notebook). It does the work forwardpass does for one job (import torch, run the probe on the
  file, judge against the reference) with no sandbox at all, which only flatters it;
- ``python -m graders.bench.inprocess --time EXERCISE=FILE ...``: one warm process that times the
  probe alone on each file: the student's own computation, which the engine's cost is compared to.

Never used for grading: student code runs here unconfined.
"""

from __future__ import annotations

import contextlib
import io
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import torch

from graders import reference, registry, wire
from graders.engine.client import Outcome
from graders.engine.limits import Limits
from graders.engine.protocol import Report
from graders.judge import judge
from graders.probe import Probe, StepFailed, describe_exception
from graders.sources import read_submission
from graders.spec import Exercise, Observations


def observe(exercise: Exercise, path: Path, secret_seed: int = registry.DEFAULT_SECRET_SEED) -> Observations:
    """What the engine's worker does for a job (graders/engine/worker.py), minus the sandbox."""
    random.seed(0)
    torch.manual_seed(0)
    probe = Probe(filename=path.name, public_seed=registry.PUBLIC_SEED, secret_seed=secret_seed, hidden=True)
    source = read_submission(path).decode("utf-8-sig", errors="replace")
    printed = io.StringIO()  # captured, as the engine captures it
    # In a temporary working folder, as the worker's: probes that save checkpoints write there.
    with (
        tempfile.TemporaryDirectory(prefix="forwardpass-bench-") as folder,
        contextlib.chdir(folder),
        contextlib.redirect_stdout(printed),
        contextlib.redirect_stderr(printed),
    ):
        if probe.load(source, module_name=path.stem, path=str(path)):
            try:
                exercise.run_probe(probe)
            except StepFailed as stop:
                probe.stopped_by = str(stop)
            except BaseException as error:
                probe.errors["probe"] = describe_exception(error, "the grader's probe", path.name)
                probe.stopped_by = probe.fatal = "probe"
    return wire.decode(wire.encode(probe.payload()))


def grade_one(exercise_id: str, path: Path) -> float:
    """The naive grader's whole job for one file: its score."""
    torch.set_num_threads(1)
    exercise = registry.get(exercise_id)
    expected = reference.load_cached(exercise, registry.DEFAULT_SECRET_SEED)
    if expected is None:
        raise SystemExit(f"no cached reference for {exercise_id}: grade it once with forwardpass first")
    outcome = Outcome(job=None, report=Report(status="finished"), observations=observe(exercise, path))
    return judge(exercise, str(path), outcome, expected, True, Limits()).score


def time_probes(pairs: list[tuple[str, Path]]) -> list[float]:
    """Seconds the probe takes on each file, in one warm process (each timed after a warm-up run)."""
    torch.set_num_threads(1)
    seconds = []
    for exercise_id, path in pairs:
        exercise = registry.get(exercise_id)
        observe(exercise, path)
        started = time.perf_counter()
        observe(exercise, path)
        seconds.append(time.perf_counter() - started)
    return seconds


def main(argv: list[str]) -> None:
    if argv[:1] == ["--time"]:
        pairs = [(item.split("=", 1)[0], Path(item.split("=", 1)[1])) for item in argv[1:]]
        print(json.dumps(time_probes(pairs)))
    else:
        print(json.dumps(grade_one(argv[0], Path(argv[1]))))


if __name__ == "__main__":
    main(sys.argv[1:])
