"""Supervising one worker: its pipes, its clock, its memory, and what it leaves behind.

The zygote runs one ``Supervision`` per job inside its event loop. It never runs student code,
so what it reports (the ``Report``) can be trusted; the observations it passes on are still
only untrusted bytes for the parent to validate.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

from graders.engine import worker
from graders.engine.protocol import Job, Report

READ_SIZE = 1 << 16
MAX_STAGE = 300
DRAIN_SECONDS = 1.0
MEMORY_POLL_SECONDS = 0.05
# A worker killed by SIGKILL that used at least this share of its CPU limit ran out of CPU time.
CPU_LIMIT_SHARE = 0.5


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


# -- processes ------------------------------------------------------------------------------------


def children_of(pid: int) -> set[int]:
    children: set[int] = set()
    with contextlib.suppress(OSError):
        for task in os.listdir(f"/proc/{pid}/task"):
            with contextlib.suppress(OSError, ValueError):
                children.update(int(c) for c in Path(f"/proc/{pid}/task/{task}/children").read_text().split())
    return children


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        queue.extend(children_of(current))
    return found


def processes_of(uid: int) -> Iterator[int]:
    """Processes whose real user is ``uid`` (by /proc/PID/status: a process that changed user
    is not dumpable, and its /proc folder then belongs to root)."""
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            with contextlib.suppress(OSError, ValueError, IndexError), open(f"{entry.path}/status") as status:
                for line in status:
                    if line.startswith("Uid:"):
                        if int(line.split()[1]) == uid:
                            yield int(entry.name)
                        break


def anonymous_memory(pid: int) -> int:
    """Resident anonymous memory of one process (heap and tensors, not mapped libraries)."""
    with contextlib.suppress(OSError, ValueError), open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("RssAnon:"):
                return int(line.split()[1]) * 1024
    return 0


def kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signal.SIGKILL)


# -- one job ---------------------------------------------------------------------------------------


class Supervision:
    """One running job, driven by the zygote's event loop.

    ``fds`` are the pipes to watch; ``feed`` takes what arrives; ``tick`` enforces the clock and
    the memory limit; ``exited`` is called when the worker is gone. ``done`` turns true once the
    pipes are drained, and ``finish`` gives the report.
    """

    def __init__(
        self, job: Job, pid: int, sweep_uid: int | None, out_fd: int, err_fd: int, frames_fd: int, baseline: int
    ):
        self.job, self.pid = job, pid
        self.sweep_uid = sweep_uid  # whose processes to kill once the worker is gone, if anyone's
        self.stdout = Capture(job.limits.output_bytes)
        self.stderr = Capture(job.limits.output_bytes)
        self.frames = Frames(job.limits.observation_bytes)
        self.sinks: dict[int, Capture | Frames] = {out_fd: self.stdout, err_fd: self.stderr, frames_fd: self.frames}
        self.pidfd = os.pidfd_open(pid)
        self.started = time.monotonic()
        self.deadline = self.started + job.limits.wall_seconds
        self.next_sample = self.started + MEMORY_POLL_SECONDS
        self.drain_until: float | None = None
        self.baseline = baseline  # memory every process forked from the warm engine starts with
        self.peak_memory = 0
        self.stopped: str | None = None  # "timeout" or "memory" once the job was killed for it
        self.status: int | None = None
        self.usage = None
        self.wall = 0.0
        self.leftovers = 0

    # -- while it runs

    def feed(self, fd: int) -> bool:
        """Read from one pipe; False at its end."""
        chunk = os.read(fd, READ_SIZE)
        if chunk:
            self.sinks[fd].feed(chunk)
        return bool(chunk)

    def next_wakeup(self) -> float:
        if self.drain_until is not None:
            return self.drain_until
        return min(self.deadline, self.next_sample)

    def tick(self, now: float) -> None:
        if self.status is not None:
            return
        if now >= self.next_sample:
            self.next_sample = now + MEMORY_POLL_SECONDS
            memory = sum(max(0, anonymous_memory(p) - self.baseline) for p in descendants(self.pid))
            self.peak_memory = max(self.peak_memory, memory)
            if memory > self.job.limits.memory_bytes:
                self.stop("memory")
        if now >= self.deadline and self.stopped is None:
            self.stop("timeout")

    def stop(self, reason: str) -> None:
        self.stopped = reason
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)
        kill(self.pid)

    # -- once it has ended

    def exited(self) -> None:
        """Collect the worker's status and kill whatever it left running."""
        self.wall = time.monotonic() - self.started
        _, self.status, self.usage = os.wait4(self.pid, 0)
        os.close(self.pidfd)
        # In a process namespace the kernel has killed the rest before wait4 returns; otherwise
        # they are found by the worker's user (as root) or, re-parented to the zygote, by the sweep.
        if self.sweep_uid is not None:
            for pid in processes_of(self.sweep_uid):
                kill(pid)
                self.leftovers += 1
        self.drain_until = time.monotonic() + DRAIN_SECONDS

    def finish(self) -> tuple[Report, bytes | None]:
        """The report for the parent, and the observations if the worker sent any."""
        report = self.report()
        if report.exit_code in (worker.SANDBOX_FAILED, worker.WORKER_FAILED) and self.frames.observations is None:
            failed = report.exit_code == worker.SANDBOX_FAILED
            what = "the sandbox could not be set up" if failed else "the worker failed"
            report.status, report.detail = "engine_error", f"{what}:\n{report.stderr}"
        return report, self.frames.observations

    def report(self) -> Report:
        status, usage = self.status, self.usage
        cpu = usage.ru_utime + usage.ru_stime
        killed = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
        # RLIMIT_CPU ends a worker with SIGXCPU or SIGKILL. The kernel enforces it on CPU time
        # sampled at each clock tick, which among many short processes runs ahead of the exact
        # time wait4 reports (workers stopped at a 2 s limit have reported 1.54 s); nothing else
        # here kills a worker without saying so in ``stopped``.
        out_of_cpu = killed in (signal.SIGXCPU, signal.SIGKILL) and cpu >= CPU_LIMIT_SHARE * self.job.limits.cpu_seconds
        return Report(
            status=self.stopped or ("cpu" if out_of_cpu else "finished"),
            exit_code=os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
            signal=killed,
            wall_seconds=round(self.wall, 4),
            cpu_seconds=round(cpu, 4),
            max_rss_bytes=usage.ru_maxrss * 1024,
            peak_memory_bytes=self.peak_memory,
            stage=self.frames.stage,
            stdout=self.stdout.text(),
            stdout_bytes=self.stdout.total,
            stderr=self.stderr.text(),
            stderr_bytes=self.stderr.total,
            observations_bytes=len(self.frames.observations or b""),
            channel_error=self.frames.error,
            leftover_processes=self.leftovers,
        )
