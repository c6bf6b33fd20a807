"""The keeper: one per job, between the zygote and the worker.

It starts the worker, enforces the wall clock, captures output within caps, reads the worker's
frames, kills every process the worker left behind, and writes ``report.json`` and
``observations.pt`` into the job's folder. It never runs student code, so what it reports
can be trusted; the observations it passes on are still only untrusted bytes.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import shutil
import signal
import time
import traceback
from pathlib import Path
from typing import NoReturn

from graders.engine import linux, sandbox, worker
from graders.engine.protocol import OBSERVATIONS_FILE, REPORT_FILE, Job, Report
from graders.engine.sandbox import Isolation, worker_uid

READ_SIZE = 1 << 16
MAX_STAGE = 300
DRAIN_SECONDS = 1.0
MEMORY_POLL_SECONDS = 0.05


def write_atomically(path: Path, data: bytes) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    os.replace(partial, path)


class Capture:
    """Bytes from one pipe, of which the first ``cap`` are kept; the rest are counted and dropped."""

    def __init__(self, cap: int):
        self.cap = cap
        self.kept = bytearray()
        self.total = 0

    def feed(self, chunk: bytes) -> None:
        self.total += len(chunk)
        room = self.cap - len(self.kept)
        if room > 0:
            self.kept += chunk[:room]

    def text(self) -> str:
        return self.kept.decode("utf-8", "replace")


class Frames:
    """Parses the worker's frames; any breach of the protocol stops reading for good."""

    def __init__(self, observation_cap: int):
        self.cap = observation_cap
        self.buffer = bytearray()
        self.stage = ""
        self.observations: bytes | None = None
        self.error: str | None = None

    def feed(self, chunk: bytes) -> None:
        if self.error:
            return
        self.buffer += chunk
        while len(self.buffer) >= 5 and not self.error:
            kind, length = bytes(self.buffer[:1]), int.from_bytes(self.buffer[1:5], "big")
            if kind not in (worker.STAGE, worker.OBSERVATIONS):
                self.error = "the data channel carried something other than the probe's frames"
            elif kind == worker.STAGE and length > MAX_STAGE:
                self.error = "a stage message was too long"
            elif kind == worker.OBSERVATIONS and length > self.cap:
                self.error = f"the observations were larger than {self.cap} bytes"
            elif len(self.buffer) < 5 + length:
                return
            else:
                payload = bytes(self.buffer[5 : 5 + length])
                del self.buffer[: 5 + length]
                if kind == worker.STAGE:
                    self.stage = payload.decode("utf-8", "replace")
                elif self.observations is not None:
                    self.error = "observations were sent twice"
                else:
                    self.observations = payload
        if self.error:
            self.buffer.clear()
            self.observations = None


def children_of_self() -> set[int]:
    pids: set[int] = set()
    with contextlib.suppress(OSError):
        for task in os.listdir("/proc/self/task"):
            with contextlib.suppress(OSError):
                pids.update(int(pid) for pid in Path(f"/proc/self/task/{task}/children").read_text().split())
    return pids


def kill_descendants(worker_pid: int) -> int:
    """Kill every process the worker left; as subreaper, orphans come back to us to be killed."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(worker_pid, signal.SIGKILL)
    killed: set[int] = set()
    for _ in range(10_000):
        children = children_of_self()
        if not children:
            break
        for pid in children:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
            killed.add(pid)
        with contextlib.suppress(ChildProcessError):
            while os.waitpid(-1, os.WNOHANG)[0] > 0:
                pass
        time.sleep(0.0005)
    return len(killed)


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        with contextlib.suppress(OSError):
            for task in os.listdir(f"/proc/{current}/task"):
                with contextlib.suppress(OSError):
                    queue += [int(child) for child in Path(f"/proc/{current}/task/{task}/children").read_text().split()]
    return found


def anonymous_memory(pid: int) -> int:
    """Resident anonymous memory of one process (heap and tensors, not mapped libraries)."""
    with contextlib.suppress(OSError, ValueError), open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("RssAnon:"):
                return int(line.split()[1]) * 1024
    return 0


class Watch:
    """The keeper's event loop over the worker's pipes and its exit."""

    def __init__(self, job: Job, pid: int, out_fd: int, err_fd: int, frames_fd: int):
        self.job, self.pid = job, pid
        self.stdout = Capture(job.limits.output_bytes)
        self.stderr = Capture(job.limits.output_bytes)
        self.frames = Frames(job.limits.observation_bytes)
        self.sinks = {out_fd: self.stdout, err_fd: self.stderr, frames_fd: self.frames}
        self.selector = selectors.DefaultSelector()
        for fd in self.sinks:
            self.selector.register(fd, selectors.EVENT_READ)
        self.pidfd = os.pidfd_open(pid)
        self.selector.register(self.pidfd, selectors.EVENT_READ)
        # Every process forked from the warm engine starts with about the keeper's own memory;
        # what counts against the limit is what the job's processes add to it, all together.
        self.baseline = anonymous_memory(os.getpid())
        self.peak_memory = 0

    def memory(self) -> int:
        return sum(max(0, anonymous_memory(p) - self.baseline) for p in descendants(self.pid))

    def pump(self, timeout: float) -> bool:
        """Move data for up to ``timeout`` seconds; True once the worker has exited."""
        exited = False
        for key, _ in self.selector.select(max(timeout, 0)):
            if key.fd == self.pidfd:
                exited = True
                continue
            chunk = os.read(key.fd, READ_SIZE)
            if chunk:
                self.sinks[key.fd].feed(chunk)
            else:
                self.selector.unregister(key.fd)
        return exited

    def run(self) -> Report:
        started = time.monotonic()
        deadline = started + self.job.limits.wall_seconds
        stopped: str | None = None
        while not self.pump(min(MEMORY_POLL_SECONDS, deadline - time.monotonic())):
            self.peak_memory = max(self.peak_memory, self.memory())
            if self.peak_memory > self.job.limits.memory_bytes:
                stopped = "memory"
            elif time.monotonic() >= deadline:
                stopped = "timeout"
            if stopped:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.pid, signal.SIGKILL)
                os.kill(self.pid, signal.SIGKILL)
                break
        wall = time.monotonic() - started
        _, status, usage = os.wait4(self.pid, 0)
        self.selector.unregister(self.pidfd)
        os.close(self.pidfd)
        leftovers = kill_descendants(self.pid)
        # Everything that could hold a pipe open is dead now: take what is left in them.
        drain_until = time.monotonic() + DRAIN_SECONDS
        while self.selector.get_map() and time.monotonic() < drain_until:
            self.pump(drain_until - time.monotonic())
        return Report(
            status=stopped or "finished",
            exit_code=os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
            signal=os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
            wall_seconds=round(wall, 4),
            cpu_seconds=round(usage.ru_utime + usage.ru_stime, 4),
            max_rss_bytes=usage.ru_maxrss * 1024,
            peak_memory_bytes=self.peak_memory,
            stage=self.frames.stage,
            stdout=self.stdout.text(),
            stdout_bytes=self.stdout.total,
            stderr=self.stderr.text(),
            stderr_bytes=self.stderr.total,
            observations_bytes=len(self.frames.observations or b""),
            channel_error=self.frames.error,
            leftover_processes=leftovers,
        )


def start_worker(job: Job, workdir: Path, uid: int | None, isolation: Isolation) -> tuple[int, int, int, int]:
    """Fork the worker with stdin on /dev/null and its output and frames on fresh pipes."""
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    frames_r, frames_w = os.pipe()
    sandbox.before_fork(isolation)
    pid = os.fork()
    if pid == 0:
        null = os.open(os.devnull, os.O_RDONLY)
        for source, target in ((null, 0), (out_w, 1), (err_w, 2), (frames_w, worker.FRAMES_FD)):
            os.dup2(source, target)
        os.closerange(worker.FRAMES_FD + 1, 1 << 16)
        os.setpgid(0, 0)
        try:
            worker.run(job, workdir, uid, isolation)
        finally:  # whatever escapes, the worker never runs the keeper's code below
            traceback.print_exc()
            os._exit(worker.WORKER_FAILED)
    for fd in (out_w, err_w, frames_w):
        os.close(fd)
    return pid, out_r, err_r, frames_r


def prepare(workdir: Path, uid: int | None, isolation: Isolation) -> None:
    """The mount point of the worker's root (full isolation) or its temporary directory."""
    if isolation.level == "full":
        (workdir / "root").mkdir(mode=0o755)
    else:
        (workdir / "tmp").mkdir(mode=0o700)
        if uid is not None:
            os.chown(workdir / "tmp", uid, uid)


def run(job: Job, slot: int, isolation: Isolation) -> NoReturn:
    """Entered right after the zygote forks; never returns."""
    workdir = Path(job.workdir)
    try:
        os.setsid()  # no controlling terminal; the keeper's group is the zygote's handle on it
        linux.die_with_parent()
        linux.become_subreaper()
        uid = worker_uid(slot)
        prepare(workdir, uid, isolation)
        watch = Watch(job, *start_worker(job, workdir, uid, isolation))
        report = watch.run()
        if report.exit_code in (worker.SANDBOX_FAILED, worker.WORKER_FAILED) and watch.frames.observations is None:
            what = (
                "the sandbox could not be set up" if report.exit_code == worker.SANDBOX_FAILED else "the worker failed"
            )
            report.status, report.detail = "engine_error", f"{what}:\n{report.stderr}"
        elif watch.frames.observations is not None:
            write_atomically(workdir / OBSERVATIONS_FILE, watch.frames.observations)
        for leftover in ("root", "tmp"):
            shutil.rmtree(workdir / leftover, ignore_errors=True)
    except BaseException:  # whatever happens, the parent gets a report
        report = Report(status="engine_error", detail=traceback.format_exc(limit=5))
    write_atomically(workdir / REPORT_FILE, json.dumps(report.to_json()).encode())
    os._exit(0)
