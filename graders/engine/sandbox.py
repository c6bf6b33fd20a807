"""Isolation of the worker: what it can see, who it runs as, and which limits bind it.

Levels, strongest first, chosen once when the engine starts:

* ``full``: the worker gets its own process, mount, network, IPC and hostname namespaces
  (see ``graders/engine/namespaces.py``) and sees only the Python runtime, its packages and a
  private temporary directory.
* ``reduced``: separate processes, resource limits and, when the grader runs as root, an
  unprivileged user; the worker can still read what that user can read and reach the network.
"""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from graders.engine import linux
from graders.engine.limits import Limits, apply_rlimits

Level = Literal["full", "reduced"]

# Workers run as UID_BASE + slot when the grader is root: a user of their own per concurrent
# job, so that one job's processes never count against another's process limit.
UID_BASE = 1_500_000


@dataclass(frozen=True)
class Isolation:
    level: Level
    method: str  # how the level is achieved, for reports
    reason: str = ""  # for reduced isolation: why the stronger level is unavailable

    def to_json(self) -> dict[str, str]:
        return {"level": self.level, "method": self.method, "reason": self.reason}


def worker_uid(slot: int) -> int | None:
    """The unprivileged user a worker becomes, or None when the grader is not root."""
    return UID_BASE + slot if os.geteuid() == 0 else None


def count_processes_of(uid: int) -> int:
    """Threads owned by ``uid`` now: RLIMIT_NPROC counts them all, not only the worker's."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError):
            fields = dict(
                line.split(":", 1) for line in Path(entry.path, "status").read_text().splitlines() if ":" in line
            )
            if int(fields["Uid"].split()[0]) == uid:
                total += int(fields["Threads"])
    return total


def worker_environment(tmpdir: str) -> dict[str, str]:
    """A fresh environment: nothing of the grader's own (tokens, paths) reaches the student."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": tmpdir,
        "TMPDIR": tmpdir,
        "LANG": "C.UTF-8",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def enter_reduced(limits: Limits, tmpdir: str, uid: int | None, data_baseline: int) -> None:
    """Confine the worker with what every Linux offers: a private cwd, a new user, rlimits."""
    os.chdir(tmpdir)
    os.environ.clear()
    os.environ.update(worker_environment(tmpdir))
    if uid is not None:
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)
    linux.forbid_new_privileges()
    linux.die_with_parent()
    process_baseline = 0 if uid is not None else count_processes_of(os.getuid())
    apply_rlimits(limits, data_baseline, process_baseline)


def importable_paths() -> list[str]:
    """sys.path without the project: the student's code must not import solutions/ by name."""
    project = Path(__file__).resolve().parents[2]
    return [p for p in sys.path if p and Path(p).resolve() != project]


def detect() -> Isolation:
    """The strongest isolation this machine allows, decided once when the engine starts."""
    return Isolation(
        "reduced",
        "rlimits",
        "workers run in separate processes with resource limits only",
    )
