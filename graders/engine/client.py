"""The parent's handle on the engine: start the zygote, hand it jobs, collect validated outcomes."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import subprocess
import sys
import tempfile
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from graders.engine.limits import Limits
from graders.engine.protocol import PARTS, Job, JobKind, Report
from graders.engine.sandbox import Isolation
from graders.files import remove_tree
from graders.i18n import Speech
from graders.registry import PUBLIC_SEED, ROOT
from graders.spec import Observations

# glibc's malloc on transparent huge pages (where the kernel offers them on request): a fork
# copies, and an exit frees, one page-table entry for 2 MiB instead of 512, and new tensors fault
# in 2 MiB at a time. One ex01 job took 149 ms of CPU without, 115 ms with.
HUGE_PAGES = {"GLIBC_TUNABLES": "glibc.malloc.hugetlb=1"}
QUEUED_PER_WORKER = 2
LOG = "zygote.log"  # in the work folder


class EngineError(RuntimeError):
    """The engine itself failed (not a submission): the zygote died or could not start."""


@dataclass
class Outcome:
    """One finished job: the zygote's report and, if they are valid, the observations."""

    job: Job
    report: Report
    observations: Observations | None
    problem: str | None = None  # why the observations are missing or were rejected


class Engine:
    """A running zygote and a private work folder; use as a context manager."""

    def __init__(self, jobs: int | None = None, preload: Iterable[str] = ()):
        """``preload``: modules the zygote imports before it is ready, rather than when the first
        job that needs them comes (an exercise's ``preload``), which stops every job meanwhile."""
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.preload = sorted(set(preload))
        self.workroot = Path(tempfile.mkdtemp(prefix="forwardpass-"))
        # Workers of other jobs may pass through (0o711) but not list; each job's source has an
        # unguessable name and is readable by the grader's user only.
        self.workroot.chmod(0o711)
        self.process: subprocess.Popen[bytes] | None = None
        self._isolation: Isolation | None = None

    # -- life cycle --------------------------------------------------------------------------

    def __enter__(self) -> Engine:
        if self.process is None:
            self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def start(self) -> None:
        """Start the zygote and return at once: it imports torch while the parent does too."""
        # Only what the engine needs: the zygote's environment is readable by every worker in
        # /proc/self/environ, so nothing of the grader's own (tokens, paths) may be in it.
        environment = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "PYTHONPATH": str(ROOT),
            "PYTHONHASHSEED": "0",  # set iteration order in student code is the same every run
            "OMP_NUM_THREADS": "1",
            **HUGE_PAGES,
            "FORWARDPASS_WORKROOT": str(self.workroot),
            **{key: value for key, value in os.environ.items() if key == "FORWARDPASS_ISOLATION"},
        }
        # The zygote's stderr, which may quote a job it failed on: the grader's user's alone, like
        # the sources beside it (a worker at reduced isolation may pass through this folder).
        log = os.open(self.workroot / LOG, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
        self.log = open(log, "wb")  # noqa: SIM115 - closed in close()
        command = [sys.executable, "-m", "graders.engine.zygote", f"--jobs={self.jobs}"]
        self.process = subprocess.Popen(
            [*command, f"--preload={','.join(self.preload)}"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            cwd=self.workroot,
            env=environment,
            start_new_session=True,  # Ctrl-C reaches the parent, which then shuts the engine down
        )

    def ready(self) -> Isolation:
        """Wait until the zygote is ready; returns the isolation its workers get."""
        if self._isolation is None:
            self._isolation = Isolation(**self._read_line()["isolation"])
        return self._isolation

    @property
    def isolation(self) -> Isolation:
        return self.ready()

    def close(self) -> None:
        if self.process is not None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()
            self.process.stdout.close()  # a zygote still sending an answer stops at once
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None
            self.log.close()
        remove_tree(self.workroot)

    # -- jobs ----------------------------------------------------------------------------------

    def job(
        self,
        exercise: str,
        source: bytes,
        filename: str,
        *,
        kind: JobKind = "student",
        hidden: bool = False,
        secret_seed: int,
        limits: Limits,
        speech: Speech | None = None,
    ) -> Job:
        """A job over ``source`` (the bytes of a Python file), staged in a file of its own that
        the worker reads before it is confined. The zygote never holds a source in its memory,
        which every later worker starts as a copy of. ``speech``: the language the probe writes in."""
        speech = speech or Speech()
        token = secrets.token_hex(12)
        filename = Path(filename).name
        if not filename or filename.startswith(".") or "\x00" in filename:
            filename = "submission.py"
        path = self.workroot / f"{token}.source"
        with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o400), "wb") as file:
            file.write(source)
        return Job(
            id=token,
            exercise=exercise,
            source=str(path),
            filename=filename,
            public_seed=PUBLIC_SEED,
            secret_seed=secret_seed,
            hidden=hidden,
            kind=kind,
            limits=limits,
            language=speech.language,
            catalogs=str(speech.catalogs),
        )

    def run(self, jobs: Iterable[Job]) -> Iterator[Outcome]:
        """Run jobs, ``self.jobs`` at a time; outcomes come in the order jobs finish."""
        waiting, running = deque(jobs), {}
        if waiting:
            self.ready()
        while waiting or running:
            # Twice as many as run at once: the zygote starts the next job while this process is
            # still judging the last one.
            while waiting and len(running) < QUEUED_PER_WORKER * self.jobs:
                job = waiting.popleft()
                running[job.id] = job
                self._send({"id": job.id, "job": job.to_json()})
            answer = self._read_line()
            yield self._collect(running.pop(answer["id"]), answer)

    def _send(self, message: dict) -> None:
        try:
            self.process.stdin.write((json.dumps(message) + "\n").encode())
            self.process.stdin.flush()
        except (BrokenPipeError, AttributeError):
            raise EngineError(self._died()) from None

    def _read_line(self) -> dict:
        line = self.process.stdout.readline() if self.process else b""
        if not line:
            raise EngineError(self._died())
        return json.loads(line)

    def _read_bytes(self, size: int) -> bytes:
        data = self.process.stdout.read(size)
        if len(data) != size:
            raise EngineError(self._died())
        return data

    def _died(self) -> str:
        self.log.flush()
        tail = (self.workroot / LOG).read_text(errors="replace")[-2000:]
        return f"the grading engine stopped unexpectedly.\n{tail}"

    def _collect(self, job: Job, answer: dict) -> Outcome:
        """The outcome of the job the zygote's ``answer`` is about, its observations validated."""
        from graders import wire

        sizes = answer["sizes"]
        parts = {part: None if sizes[part] is None else self._read_bytes(sizes[part]) for part in PARTS}
        with contextlib.suppress(FileNotFoundError):
            os.unlink(job.source)
        report = Report.from_json(answer["report"])
        report.stdout = (parts["stdout"] or b"").decode("utf-8", "replace")
        report.stderr = (parts["stderr"] or b"").decode("utf-8", "replace")
        if report.status == "engine_error" and report.stderr:
            report.detail = f"{report.detail}:\n{report.stderr}"
        observations, problem = None, None
        if parts["observations"] is not None:
            try:
                observations = wire.decode(parts["observations"])
            except wire.InvalidObservations as error:
                problem = str(error)
        elif report.channel_error:
            problem = report.channel_error
        return Outcome(job, report, observations, problem)
