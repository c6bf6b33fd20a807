"""Bulk grading: how fast forwardpass grades a class, against a naive grader, and how it scales.

A generated class (``graders.bulk.sample.generate``: right answers, mistakes, broken files and
untouched stubs; no infinite loops, which cost their time limit whatever the grader) is graded
end to end by ``grade_class``, as ``make grade`` does, at 50, 100 and 200 students, without the
search for similar submissions (a stage after grading, which compares files pair by pair and is
measured apart: README.md, "Similar submissions"). Printed:

- forwardpass's cost per (submission, exercise): the 200-student run's wall time over its pairs;
- the naive baseline's: a fresh Python process per pair (``graders.bench.inprocess``), measured on
  an even sample of the pairs, run with the same parallelism;
- their ratio, and how the time grows from 50 to 100 to 200 students;
- the sandbox's overhead per pair: the marginal core time per pair (between the smallest and the
  largest class, so without the engine's start) minus the probe's own time on the same files run
  in one warm process (``inprocess --time``); and the same marginal split by process: the engine
  (zygote and workers, whose CPU time this process collects when they end) and the grading
  process itself (judging, storing, writing reports);
- the peak resident memory of the engine's largest process and of the grading process.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise
from pathlib import Path

from graders import registry
from graders.bulk.run import Settings, grade_class
from graders.bulk.sample import SampleStudent, generate, write_folders
from graders.engine.client import HUGE_PAGES

SIZES = (50, 100, 200)
NAIVE_SAMPLE = 20
PROBE_SAMPLE = 100
EMPTY_JOBS = 300
TARGET_RATIO = 20
TARGET_SECONDS = 60  # for 200 students x 14 exercises on 2 cores


def evenly(items: list, count: int) -> list:
    """``count`` items spread evenly over ``items`` (so every exercise and kind of file is in)."""
    step = max(1, len(items) / count)
    return [items[int(i * step)] for i in range(min(count, len(items)))]


def pairs_of(folder: Path) -> list[tuple[str, Path]]:
    return [(path.stem, path) for path in sorted(folder.glob("*/ex*.py"))]


def run_python(*args: str) -> str:
    """A fresh interpreter with the engine's allocator settings, so that only the engine differs."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(registry.ROOT),
        "OMP_NUM_THREADS": "1",
        **HUGE_PAGES,
    }
    result = subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, check=True)
    return result.stdout.strip().splitlines()[-1]


def ensure_references() -> None:
    """The reference observations the naive baseline judges against, in the cache as forwardpass keeps it."""
    from graders import reference

    reference.references(registry.load_all().values(), registry.DEFAULT_SECRET_SEED)


def naive_seconds(pairs: list[tuple[str, Path]], jobs: int) -> float:
    """Wall time per pair of a fresh interpreter per pair, ``jobs`` at a time."""
    ensure_references()
    started = time.monotonic()
    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(lambda pair: run_python("-m", "graders.bench.inprocess", pair[0], str(pair[1])), pairs))
    return (time.monotonic() - started) / len(pairs)


def probe_seconds(pairs: list[tuple[str, Path]]) -> float:
    """Mean time of the probe alone on each file, in one warm process."""
    timed = json.loads(run_python("-m", "graders.bench.inprocess", "--time", *(f"{e}={p}" for e, p in pairs)))
    return sum(timed) / len(timed)


def cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def engine_cpu_seconds(pid: int) -> float:
    """Core time of a running engine: its zygote and the workers it has reaped (Linux's /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def empty_job_seconds(jobs: int) -> float:
    """Core time per job of an empty file: what a fresh sandboxed process costs with no probe."""
    from graders.engine.client import Engine
    from graders.engine.limits import Limits

    with Engine(jobs=jobs) as engine:

        def empty_files(count: int) -> list:
            seed = registry.DEFAULT_SECRET_SEED
            return [
                engine.job("ex04_call_vs_forward", b"", "e.py", secret_seed=seed, limits=Limits()) for _ in range(count)
            ]

        list(engine.run(empty_files(jobs)))  # the first jobs of an engine pay for what later ones inherit
        before = engine_cpu_seconds(engine.process.pid)
        list(engine.run(empty_files(EMPTY_JOBS)))
        return (engine_cpu_seconds(engine.process.pid) - before) / EMPTY_JOBS


def kinds(students: list[SampleStudent]) -> str:
    """What the class is made of: how many files are right, wrong, broken or untouched stubs."""
    counts = Counter(kind for student in students for kind in student.drawn)
    total = sum(counts.values())
    return ", ".join(f"{100 * n / total:.0f}% {kind}" for kind, n in counts.most_common())


def main() -> None:
    jobs = os.cpu_count() or 1
    students = generate(max(SIZES))
    load = os.getloadavg()[0]
    print(
        f"Bulk grading: {max(SIZES)} generated students × {len(registry.ids())} exercises, {jobs} cores "
        f"(load average {load:.1f} before starting: other work on the machine slows every figure)"
    )
    print(f"  the class: {kinds(students)} (no infinite loops: they cost their time limit, whatever the grader)")
    with tempfile.TemporaryDirectory(prefix="forwardpass-bench-") as scratch:
        root = Path(scratch)
        seconds, counts, engine_cpu, own_cpu = {}, {}, {}, {}
        for size in SIZES:
            folder = write_folders(students[:size], root / f"class-{size}")
            counts[size] = len(pairs_of(folder))
            started = time.monotonic()
            engine_before, own_before = cpu_seconds(resource.RUSAGE_CHILDREN), cpu_seconds(resource.RUSAGE_SELF)
            grades = grade_class(folder, root / f"out-{size}", Settings(similarity=None))
            seconds[size] = time.monotonic() - started
            engine_cpu[size] = cpu_seconds(resource.RUSAGE_CHILDREN) - engine_before
            own_cpu[size] = cpu_seconds(resource.RUSAGE_SELF) - own_before
            per_pair = seconds[size] / counts[size]
            print(
                f"  forwardpass, {size:3d} students ({counts[size]:4d} pairs): {seconds[size]:6.1f} s, "
                f"{1000 * per_pair:4.0f} ms per (submission, exercise)"
            )
        largest = max(SIZES)
        ours = seconds[largest] / counts[largest]
        growth = " and ".join(
            f"×{seconds[b] / seconds[a]:.2f} for ×{counts[b] / counts[a]:.2f} the pairs" for a, b in pairwise(SIZES)
        )
        print(f"  growth from {' to '.join(map(str, SIZES))} students: {growth} (linear: the same factors)")
        smallest = min(SIZES)
        marginal = (seconds[largest] - seconds[smallest]) / (counts[largest] - counts[smallest])
        fixed = seconds[largest] - marginal * counts[largest]
        print(f"  that is {1000 * marginal:.0f} ms per pair, plus {fixed:.0f} s per run (engine start, outputs)")
        scaled = seconds[largest] * len(registry.ids()) * 200 / counts[largest] * jobs / 2
        print(
            f"  200 students × 14 exercises on 2 cores: about {scaled:.0f} s at this rate (target: about "
            f"{TARGET_SECONDS} s); isolation: {grades.isolation}"
        )

        # Measured before the naive baseline starts processes of its own.
        engine_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        own_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"  memory: the engine's largest process (its zygote, torch imported, or a worker) peaked at "
            f"{engine_peak:.0f} MiB resident; the grading process itself at {own_peak:.0f} MiB"
        )

        pairs = pairs_of(root / f"class-{largest}")
        naive = naive_seconds(evenly(pairs, NAIVE_SAMPLE), jobs)
        print(
            f"  naive baseline, a fresh Python per pair ({NAIVE_SAMPLE} pairs measured, {jobs} at a time): "
            f"{1000 * naive:.0f} ms per (submission, exercise)"
        )
        print(f"  forwardpass is {naive / ours:.0f}× faster than the naive baseline (target: at least {TARGET_RATIO}×)")

        own = probe_seconds(evenly(pairs, PROBE_SAMPLE))
        overhead = marginal * jobs - own
        print(
            f"  sandbox overhead: {1000 * overhead:.0f} ms of core time per (submission, exercise): "
            f"{1000 * marginal * jobs:.0f} ms per pair × {jobs} cores, less the {1000 * own:.0f} ms the probe itself "
            f"takes on the same files in one warm process ({PROBE_SAMPLE} sampled; target: a few tens of ms)"
        )
        extra = counts[largest] - counts[smallest]
        engine = (engine_cpu[largest] - engine_cpu[smallest]) / extra
        grading = (own_cpu[largest] - own_cpu[smallest]) / extra
        print(
            f"  of that core time per pair: the engine (zygote and workers) {1000 * engine:.0f} ms, so isolation "
            f"itself costs {1000 * (engine - own):.0f} ms beyond the probe's own; the grading process (judging, "
            f"storing, reports) {1000 * grading:.0f} ms"
        )
        floor = empty_job_seconds(jobs)
        least = (floor + own) * len(registry.ids()) * 200 / 2
        print(
            f"  an empty file costs the engine {1000 * floor:.0f} ms of core time per job (forking a process that "
            f"holds torch, its namespaces, its exit): with the probe's own {1000 * own:.0f} ms, a fresh process per "
            f"pair cannot grade 200 students × 14 exercises on 2 cores in less than about {least:.0f} s here"
        )
