"""Supervising one worker: its pipes, its clock, its memory, and what it leaves behind.

The zygote runs one ``Supervision`` per job inside its event loop. It never runs student code,
so what it reports (the ``Report``) can be trusted; what the worker sent, which it passes on
without reading (``relay``), is still only untrusted bytes for the parent to validate.
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
from graders.engine.relay import Frames, Relay

DRAIN_SECONDS = 1.0
MEMORY_POLL_SECONDS = 0.05
# A worker killed by SIGKILL that used at least this share of its CPU limit ran out of CPU time;
# one the wall clock stopped with less had time to spare, and is run again, alone.
CPU_LIMIT_SHARE = 0.5
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


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


def seconds_on_a_core(pid: int) -> float:
    """Time a running process spent computing or ready to: its CPU time (all its threads, and the
    children it has reaped) and its main thread's wait for a core, which grows with the machine's
    load (/proc/PID/schedstat: 0 where the kernel does not keep it)."""
    seconds = 0.0
    with contextlib.suppress(OSError, ValueError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        seconds += sum(int(value) for value in fields[11:15]) / CLOCK_TICKS
    with contextlib.suppress(OSError, ValueError, IndexError):
        seconds += int(Path(f"/proc/{pid}/schedstat").read_text().split()[1]) / 1e9
    return seconds


def kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signal.SIGKILL)


# -- one job ---------------------------------------------------------------------------------------


class Supervision:
    """One running job, driven by the zygote's event loop.

    ``feed`` takes what arrives on one of its pipes; ``tick`` enforces the clock and the memory
    limit; ``exited`` is called when the worker is gone; once its pipes are drained, ``finish``
    gives the report and what the worker sent, and ``close`` lets go of it.

    The CPU limit (RLIMIT_CPU, which the kernel enforces) decides how much a job may compute. The
    clock decides only how long it may wait for anything but a core (sleeping, blocked): its age
    less the time it spent computing or waiting for a core, which a busy machine stretches, and
    less the time the zygote spent on its own work meanwhile (``pause``).
    """

    def __init__(
        self,
        job: Job,
        pid: int,
        sweep_uid: int | None,
        out_fd: int,
        err_fd: int,
        frames_fd: int,
        baseline: int,
        rerun: bool = False,
    ):
        self.job, self.pid = job, pid
        self.sweep_uid = sweep_uid  # whose processes to kill once the worker is gone, if anyone's
        self.rerun = rerun  # a second run, alone, after the clock stopped the first with CPU time to spare
        self.stdout = Relay(job.limits.output_bytes)
        self.stderr = Relay(job.limits.output_bytes)
        self.frames = Frames(job.limits.observation_bytes)
        self.sinks: dict[int, Relay | Frames] = {out_fd: self.stdout, err_fd: self.stderr, frames_fd: self.frames}
        for fd in self.sinks:
            os.set_blocking(fd, False)
        self.pidfd = os.pidfd_open(pid)
        self.started = time.monotonic()
        self.paused = 0.0
        self.deadline = self.started + job.limits.wall_seconds  # when to look at the clock next
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
        """Take what one pipe holds; False at its end."""
        return self.sinks[fd].take(fd)

    def pause(self, seconds: float) -> None:
        """The zygote spent ``seconds`` on its own work (importing what an exercise preloads,
        passing answers on): not the job's time, though its worker may have waited for it."""
        self.paused += seconds
        self.deadline += seconds

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
            waited = now - self.started - self.paused - seconds_on_a_core(self.pid)
            if waited >= self.job.limits.wall_seconds:
                self.stop("timeout")
            else:
                self.deadline = now + self.job.limits.wall_seconds - waited

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

    def finish(self) -> tuple[Report, dict[str, Relay | None]]:
        """The report for the parent, and what the worker sent: ``protocol.PARTS``, the
        observations None if it sent none whole and valid."""
        report = self.report()
        # Only before the submission's code started can these statuses be the worker's own: after
        # it, any code may exit with them.
        engine_failed = report.exit_code in (worker.SANDBOX_FAILED, worker.WORKER_FAILED) and not self.frames.staged
        if engine_failed and self.frames.observations is None:
            failed = report.exit_code == worker.SANDBOX_FAILED
            report.status = "engine_error"
            report.detail = "the sandbox could not be set up" if failed else "the worker failed"
        return report, {"stdout": self.stdout, "stderr": self.stderr, "observations": self.frames.observations}

    def to_run_again(self, report: Report) -> bool:
        """Whether the job is run a second time, alone, before it is answered: the clock stopped it,
        not the CPU limit, while it had computed far less than that allows. On a busy machine what
        it waited for (processes of its own, the disk) may have been slowed. Once only."""
        spare = report.cpu_seconds < CPU_LIMIT_SHARE * self.job.limits.cpu_seconds
        return report.status == "timeout" and spare and not self.rerun

    def close(self) -> None:
        for relay in (self.stdout, self.stderr, self.frames.relay):
            relay.close()

    def report(self) -> Report:
        status, usage = self.status, self.usage
        cpu = usage.ru_utime + usage.ru_stime
        killed = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
        # RLIMIT_CPU ends a worker with SIGXCPU or SIGKILL. The kernel enforces it on CPU time
        # sampled at each clock tick, which among many short processes runs ahead of the exact
        # time wait4 reports (workers stopped at a 2 s limit have reported 1.54 s); nothing else
        # here kills a worker without saying so in ``stopped``.
        out_of_cpu = killed in (signal.SIGXCPU, signal.SIGKILL) and cpu >= CPU_LIMIT_SHARE * self.job.limits.cpu_seconds
        observations = self.frames.observations
        return Report(
            status=self.stopped or ("cpu" if out_of_cpu else "finished"),
            exit_code=os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
            signal=killed,
            wall_seconds=round(self.wall, 4),
            cpu_seconds=round(cpu, 4),
            max_rss_bytes=usage.ru_maxrss * 1024,
            peak_memory_bytes=self.peak_memory,
            stage=self.frames.stage,
            stdout_bytes=self.stdout.total,
            stderr_bytes=self.stderr.total,
            observations_bytes=observations.kept if observations else 0,
            channel_error=self.frames.error,
            leftover_processes=self.leftovers,
            rerun=self.rerun,
        )
