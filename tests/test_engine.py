"""The engine's promises, through real processes: a fresh child per job, limits that hold, and
nothing a submission does reaching the judging or another job."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SUBMISSIONS, TEST_LIMITS, grade_paths, read_case

from graders import reference, wire
from graders.engine import supervision
from graders.engine.client import Engine
from graders.engine.limits import Limits
from graders.judge import classify_outcome

CORRECT = (SUBMISSIONS / "ex01_my_model" / "correct_nn_relu_modules.py").read_text()
WRONG = (SUBMISSIONS / "ex01_my_model" / "wrong_conv2_10_channels.py").read_text()


def write(folder: Path, name: str, source: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(source))
    return path


def grade_sources(engine: Engine, folder: Path, sources: dict[str, str], limits: Limits = TEST_LIMITS):
    paths = [write(folder, f"{name}.py", source) for name, source in sources.items()]
    results = grade_paths(engine, [("ex01_my_model", path) for path in paths], include_hidden=False, limits=limits)
    return dict(zip(sources, results, strict=True))


def processes_with(token: str) -> list[int]:
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                if token in Path(entry.path, "cmdline").read_bytes().decode(errors="replace"):
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def test_a_changed_global_state_never_reaches_the_next_job(engine: Engine, tmp_path: Path) -> None:
    tamper = WRONG + textwrap.dedent("""
        import torch
        torch.set_default_dtype(torch.float64)
        torch.allclose = lambda *args, **kwargs: True
        torch.equal = lambda *args, **kwargs: True
        torch.Tensor.__eq__ = lambda self, other: True
        torch.manual_seed(999)
        import os
        os.environ["FORWARDPASS_TAMPERED"] = "1"
    """)
    results = grade_sources(engine, tmp_path, {"tamper": tamper, "honest": CORRECT, "honest2": CORRECT})
    assert results["tamper"].score == 3.0  # its patches fool nothing: the judging happens elsewhere
    assert results["honest"].score == results["honest2"].score == 10.0


def test_output_is_captured_within_a_cap_and_never_judged(engine: Engine, tmp_path: Path) -> None:
    noisy = CORRECT + 'print("10/10 passed " * 100_000)\nimport sys\nsys.stderr.write("ERROR " * 10_000)\n'
    result = grade_sources(engine, tmp_path, {"noisy": noisy})["noisy"]
    assert result.status == "passed" and result.score == 10.0
    assert 0 < len(result.stdout) <= 4000 and 0 < len(result.stderr) <= 4000


def test_observations_far_larger_than_a_pipe_buffer_arrive_whole(engine: Engine, tmp_path: Path) -> None:
    # forward returns 7 MB whatever its input: the zygote sends it to the parent after its
    # answer line, and the job after it reads its own answer, not the rest of this one.
    large = CORRECT + textwrap.dedent("""
        import torch

        MyModel.forward = lambda self, x: torch.arange(2 * 20 * 210 * 210, dtype=torch.float32).reshape(2, 20, 210, 210)
    """)
    results = grade_sources(engine, tmp_path, {"large": large, "honest": CORRECT})
    checks = {check.id: check for check in results["large"].checks}
    assert checks["call_equals_forward"].passed  # the same 7 MB, twice, compared element by element
    assert not checks["output_shape"].passed and "(2, 20, 210, 210)" in checks["output_shape"].message
    assert not checks["output_values"].passed
    assert results["large"].score == 5.0
    assert results["honest"].score == 10.0


@pytest.mark.parametrize(
    ("source", "message", "failure"),
    [
        ("import sys\nsys.exit(0)\n", "called sys.exit()", "import"),
        ("import os\nos._exit(0)\n", "ended the grading process early", "exit"),
        # the statuses of the worker's own failures, once the submission's code has started
        ("import os\nos._exit(70)\n", "ended the grading process early (exit status 70)", "exit"),
        ("import os\nos._exit(71)\n", "ended the grading process early (exit status 71)", "exit"),
        ("import ctypes\nctypes.string_at(0)\n", "segmentation fault", "crash"),
        ("import os\nos.write(3, b'O\\x00\\x00\\x00\\x05hello')\n", "interfered with the grader's data", "tampering"),
        ("import torch\nx = torch.empty(5_000_000_000)\n", "more memory", "import"),
        ("raise KeyboardInterrupt\n", "KeyboardInterrupt", "import"),
        ("while True:\n    pass\n", "Stopped after 3 s of CPU time while importing your file", "cpu"),
        ("class MyModel:\n    pass\n", "not an nn.Module", "exception"),
        ("class Mymodel:\n    pass\n", "defines no `MyModel`", "missing"),
    ],
)
def test_a_broken_process_scores_zero_with_a_reason(
    engine: Engine, tmp_path: Path, source: str, message: str, failure: str
) -> None:
    result = grade_sources(engine, tmp_path, {"broken": source})["broken"]
    assert result.status == "error" and result.score == 0
    assert message in result.error
    assert result.failure == failure
    assert all(check.points == 0 for check in result.checks)


def test_a_timeout_kills_every_process_of_the_job(engine: Engine, tmp_path: Path) -> None:
    token = "31.4159265"  # a sleep no other process on this machine runs
    source = f"""
        import subprocess, os, time
        subprocess.Popen(["sleep", "{token}"], start_new_session=True)
        if os.fork() == 0:
            os.setsid()
            subprocess.Popen(["sleep", "{token}"])
            while True:
                pass
        time.sleep(1000)
    """
    limits = Limits(wall_seconds=2, cpu_seconds=10)
    result = grade_sources(engine, tmp_path, {"spawner": source}, limits)["spawner"]
    assert result.status == "error" and "Stopped after 2 s of waiting" in result.error
    assert processes_with(token) == []


def test_a_worker_that_fails_before_the_submission_runs_is_the_engines_failure(engine: Engine) -> None:
    """Until its first stage the worker runs only the grader's code: a failure there (here, its job's
    source is gone) is the engine's, graded again on the next run, where the same exit status after
    the submission's code started is the submission's (test_a_broken_process_scores_zero_with_a_reason)."""
    job = engine.job("ex01_my_model", CORRECT.encode(), "gone.py", secret_seed=1, limits=TEST_LIMITS)
    os.unlink(job.source)
    (outcome,) = engine.run([job])
    assert (outcome.report.status, outcome.report.exit_code, outcome.report.stage) == ("engine_error", 71, "")
    assert "FileNotFoundError" in outcome.report.detail
    assert classify_outcome(outcome, TEST_LIMITS) == "engine"


def test_preloaded_modules_are_imported_before_the_first_job(tmp_path: Path) -> None:
    """ex01 preloads nothing of its own: a worker finds torch._dynamo only if the engine was asked."""
    probe = "import sys\nprint('dynamo imported:', 'torch._dynamo' in sys.modules)\n"
    printed = []
    for preload in ((), ("torch._dynamo",)):
        with Engine(jobs=1, preload=preload) as engine:
            printed.append(grade_sources(engine, tmp_path, {"probe": probe})["probe"].stdout.strip())
    assert printed == ["dynamo imported: False", "dynamo imported: True"]


def test_queued_jobs_wait_for_a_free_worker() -> None:
    """The parent sends more jobs than the engine runs at once; the zygote holds the rest back."""
    sleeper = b"import time\ntime.sleep(0.4)\n"
    seen: list[int] = []
    stop = threading.Event()
    with Engine(jobs=1) as engine:
        zygote = engine.process.pid

        def count_workers() -> None:
            while not stop.is_set():
                seen.append(len(supervision.children_of(zygote)))
                time.sleep(0.01)

        jobs = [engine.job("ex01_my_model", sleeper, f"s{i}.py", secret_seed=1, limits=TEST_LIMITS) for i in range(4)]
        watcher = threading.Thread(target=count_workers)
        watcher.start()
        try:
            outcomes = list(engine.run(jobs))
        finally:
            stop.set()
            watcher.join()
    assert sorted(outcome.job.id for outcome in outcomes) == sorted(job.id for job in jobs)
    assert all(outcome.report.status == "finished" for outcome in outcomes)
    assert max(seen) == 1, f"workers running at once: {sorted(set(seen))}"


def test_the_same_submission_grades_identically(engine: Engine, tmp_path: Path) -> None:
    first = grade_sources(engine, tmp_path, {"a": WRONG})["a"]
    second = grade_sources(engine, tmp_path, {"a": WRONG})["a"]
    assert json.dumps(first.to_json()) == json.dumps(second.to_json())


@pytest.mark.parametrize(
    "moment",
    [
        # mid-job: a worker is running
        "engine.ready()\nengine._send({'id': job.id, 'job': job.to_json()})\ntime.sleep(2)",
        # while the zygote still imports what it preloads (it handles SIGTERM, the signal it gets
        # when its parent dies, from the start of its main on): the job's file is staged already
        "status = f'/proc/{engine.process.pid}/status'\n"
        "while not int(open(status).read().split('SigCgt:')[1].split()[0], 16) & 1 << signal.SIGTERM - 1:\n"
        "    time.sleep(0.01)",
    ],
    ids=["mid-job", "while-starting"],
)
def test_an_engine_whose_parent_is_killed_leaves_nothing(tmp_path: Path, moment: str) -> None:
    """SIGKILL the grading process: its zygote, its worker and its folder of students' files must
    all go, whatever the zygote was doing."""
    script = tmp_path / "parent.py"
    script.write_text(
        textwrap.dedent("""
            import os, signal, time
            from graders.engine.client import Engine
            from graders.engine.limits import Limits
            engine = Engine(preload=["torch._dynamo"])
            engine.start()
            job = engine.job("ex01_my_model", b"while True: pass\\n", "x.py", secret_seed=1, limits=Limits())
            print(engine.workroot, engine.process.pid, flush=True)
        """)
        + moment
        + "\nos.kill(os.getpid(), signal.SIGKILL)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == -signal.SIGKILL, done.stderr
    workroot, zygote = done.stdout.split()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and (Path(workroot).exists() or Path(f"/proc/{zygote}").exists()):
        time.sleep(0.1)
    assert not Path(workroot).exists(), "the work folder (students' files) was left behind"
    assert not Path(f"/proc/{zygote}").exists(), "the zygote outlived its parent"


def test_what_the_engine_keeps_in_its_work_folder_is_the_graders_alone(engine: Engine) -> None:
    """A worker at reduced isolation may pass through the work folder: the zygote's log (its stderr,
    which may quote a job it failed on) and each job's source are the grader's user's alone."""
    engine.ready()
    job = engine.job("ex01_my_model", CORRECT.encode(), "staged.py", secret_seed=1, limits=TEST_LIMITS)
    try:
        files = {entry.name: entry.stat().st_mode for entry in os.scandir(engine.workroot) if entry.is_file()}
    finally:
        os.unlink(job.source)
    assert {"zygote.log", Path(job.source).name} <= set(files)
    assert {name: oct(mode) for name, mode in files.items() if mode & 0o077} == {}


def anonymous_memory_of(pid: int) -> Iterator[bytes]:
    """A process's heap and anonymous mappings, as a worker forked from it would find them in its
    own address space; in pieces, each overlapping the next by a little."""
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", buffering=0) as memory:
        for line in maps:
            fields = line.split()
            if not (fields[1].startswith("r") and fields[5:] in ([], ["[heap]"])):
                continue
            start, end = (int(part, 16) for part in fields[0].split("-"))
            for offset in range(start, end, 16 << 20):
                memory.seek(offset)
                with contextlib.suppress(OSError):
                    yield memory.read(min((16 << 20) + 64, end - offset))


def test_the_zygote_never_holds_what_a_worker_sent(tmp_path: Path) -> None:
    """Every worker starts as a copy of the zygote: what other jobs printed and sent back must
    never have been in the zygote's memory, not even freed."""
    printed, returned = secrets.token_hex(16), secrets.token_bytes(16)
    source = CORRECT + textwrap.dedent(f"""
        import torch

        print({printed!r}[::-1])  # the text printed is not in the source, which the zygote never reads
        RETURNED = bytes.fromhex({returned.hex()!r})
        MyModel.forward = lambda self, x: torch.frombuffer(bytearray(RETURNED * 4096), dtype=torch.float32)
    """)
    with Engine(jobs=1) as engine:
        (result,) = grade_paths(engine, [("ex01_my_model", write(tmp_path, "marked.py", source))])
        assert printed[::-1] in result.stdout and result.status == "failed"  # both reached the parent
        found = [
            what
            for piece in anonymous_memory_of(engine.process.pid)
            for what, marker in (("printed", printed[::-1].encode()), ("returned", returned * 2))
            if marker in piece
        ]
    assert found == []


def test_a_submission_that_reads_its_own_memory_finds_no_other_jobs_observations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """tests/attacks/find_observations_in_memory.py right after the reference ran (the cache is
    empty) and right after a right answer: it earns what its own code earns, nothing more."""
    monkeypatch.setattr(reference, "CACHE", tmp_path / "cache")
    attack = read_case(Path(__file__).parent / "attacks" / "find_observations_in_memory.py")
    items = [
        ("ex01_my_model", attack.path),
        ("ex01_my_model", SUBMISSIONS / "ex01_my_model" / "correct_nn_relu_modules.py"),
    ]
    with Engine(jobs=1) as engine:
        first, honest, after_honest = grade_paths(engine, [*items, items[0]])
    assert honest.status == "passed"
    for result in (first, after_honest):
        assert (result.status, {check.id for check in result.checks if not check.passed}) == (
            attack.status,
            attack.fails,
        ), result.stdout


def test_what_the_zygote_imports_for_an_exercise_does_not_count_against_a_running_job() -> None:
    """ex02 makes the zygote import torch._dynamo (seconds), while ex01's job waits for it to read
    its observations (far more than a pipe holds): that wait is the grader's, not the job's."""
    waits = b"import time\ntime.sleep(0.2)\n" + CORRECT.encode()
    limits = Limits(wall_seconds=1, cpu_seconds=10)
    with Engine(jobs=2) as engine:
        jobs = [
            engine.job("ex01_my_model", waits, "waits.py", hidden=True, secret_seed=1, limits=limits),
            engine.job("ex02_init_vs_forward", b"", "ex02.py", secret_seed=1, limits=TEST_LIMITS),
        ]
        outcomes = {outcome.job.exercise: outcome for outcome in engine.run(jobs)}
    report = outcomes["ex01_my_model"].report
    assert report.observations_bytes > 1 << 16 and outcomes["ex01_my_model"].observations is not None
    assert (report.status, report.rerun) == ("finished", False)


def test_a_job_the_clock_stops_with_cpu_time_to_spare_is_run_again_alone() -> None:
    """A job stopped for waiting too long, while it computed far less than its CPU limit allows, is
    run a second time, with no other job beside it, before it is answered."""
    # The sleeper says when it is alive; the naps say when they ran (one clock for all processes).
    sleeps = b"import time\nwhile True:\n    print(time.monotonic(), flush=True)\n    time.sleep(0.05)\n"
    naps = b"import time\nstart = time.monotonic()\ntime.sleep(0.3)\nprint(start, time.monotonic())\n"
    with Engine(jobs=2) as engine:
        jobs = [engine.job("ex01_my_model", sleeps, "s.py", secret_seed=1, limits=Limits(wall_seconds=1))]
        jobs += [engine.job("ex01_my_model", naps, f"n{i}.py", secret_seed=1, limits=TEST_LIMITS) for i in range(6)]
        outcomes = list(engine.run(jobs))
    (sleeper,) = [outcome.report for outcome in outcomes if outcome.job.id == jobs[0].id]
    assert (sleeper.status, sleeper.rerun) == ("timeout", True)
    alive = [float(t) for t in sleeper.stdout.split()]  # the second run's
    naps_run = [[float(t) for t in outcome.report.stdout.split()] for outcome in outcomes if outcome.job != jobs[0]]
    assert all(end < alive[0] or start > alive[-1] for start, end in naps_run), (alive[0], alive[-1], naps_run)
    assert any(start > alive[-1] for start, _ in naps_run)  # they waited for it


# A worker that writes its own observations frame, then ends: HEADER, then ZEROS MiB of tensor
# data, streamed.
FLOOD = """
import os

MAGIC = b"forwardpass observations\\n"
header = HEADER
size = len(MAGIC) + 8 + len(header) + (ZEROS << 20)
start = b"O" + size.to_bytes(4, "big") + MAGIC + len(header).to_bytes(8, "big")
for part in (start, header, *[bytes(1 << 20)] * ZEROS):
    view = memoryview(part)
    while view:
        view = view[os.write(3, view) :]
os._exit(0)
"""


def tensor(mib: int) -> tuple[str, int]:
    """The HEADER and ZEROS of observations that are one float32 tensor of ``mib`` MiB."""
    header = {"format": 2, "values": {"dict": {"output": {"tensor": ["float32", [mib << 18]]}}}, "errors": {"dict": {}}}
    return repr(json.dumps({"dict": header}).encode()), mib


FLOODS = {  # what, as HEADER and ZEROS
    "a 48 MiB header of empty lists": ('b"[" + b"[]," * ((16 << 20) - 1) + b"[]]"', 0),
    "a 24 MiB header of empty lists": ('b"[" + b"[]," * ((8 << 20) - 1) + b"[]]"', 0),
    "a 512 MiB tensor": tensor(512),
    "a 60 MiB tensor, under the cap": tensor(60),
}


def test_what_a_job_sends_costs_the_trusted_side_little_memory() -> None:
    """Each flood is refused: the large tensor by the zygote, from its frame's header (over the
    observation cap); the headers by the parent, before they are parsed (one over the header cap, one
    with room for too many values). A tensor just under the cap is taken in. The zygote's peak memory
    does not grow, the parent's by less than the bounds docs/SECURITY.md states."""
    script = textwrap.dedent("""
        import json, resource, sys
        from graders.engine.client import Engine
        from graders.engine.limits import Limits

        def peaks(engine):
            with open(f"/proc/{engine.process.pid}/status") as status:
                zygote = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
            return {"parent": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss << 10, "zygote": zygote << 10}

        sources = json.load(sys.stdin)
        with Engine(jobs=1) as engine:
            def run(source):
                limits = Limits(wall_seconds=60, cpu_seconds=60)
                job = engine.job("ex01_my_model", source.encode(), "flood.py", secret_seed=1, limits=limits)
                return next(engine.run([job]))

            run(sources.pop("honest"))  # both processes at their working size
            before = peaks(engine)
            problems = {name: run(source).problem for name, source in sources.items()}
            after = peaks(engine)
        print(json.dumps({"problems": problems, "growth": {key: after[key] - before[key] for key in after}}))
    """)
    sources = {
        name: FLOOD.replace("HEADER", header).replace("ZEROS", str(zeros)) for name, (header, zeros) in FLOODS.items()
    }
    done = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps({"honest": CORRECT, **sources}),
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["problems"] == {
        "a 48 MiB header of empty lists": "unreadable observations (a header too long)",
        "a 24 MiB header of empty lists": "observations nested too deeply or too many",
        "a 512 MiB tensor": "the observations were larger than 64 MiB",
        "a 60 MiB tensor, under the cap": None,  # accepted: the parent holds it, and the bound still holds
    }
    assert result["growth"]["zygote"] < 16 << 20, result
    assert result["growth"]["parent"] < Limits().observation_bytes + 3 * wire.MAX_HEADER, result
