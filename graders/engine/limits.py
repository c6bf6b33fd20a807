"""Resource limits for one grading child, and the words a student reads when one is hit."""

from __future__ import annotations

import contextlib
import resource
import signal
from dataclasses import asdict, dataclass, replace

GiB = 1 << 30
MiB = 1 << 20


@dataclass(frozen=True)
class Limits:
    """Per (submission, exercise) caps. Defaults fit a class of small nn.Module exercises.

    CPU time decides how much a job may compute, whatever else runs on the machine. The clock is
    only a backstop for a job that waits (sleeps, blocks): it counts neither the time the job
    computed nor the time it waited for a core, which a busy machine stretches
    (``supervision.Supervision``)."""

    wall_seconds: float = 10.0  # waiting for anything but a core
    cpu_seconds: int = 10
    memory_bytes: int = 2 * GiB  # on top of what the warm engine already holds
    processes: int = 32  # processes and threads the child may own at once
    file_bytes: int = 16 * MiB  # largest file the child may write
    open_files: int = 256
    output_bytes: int = 64 * 1024  # stdout and stderr each, kept for the report
    # The probe's data sent back to the parent: room for all a probe may record (32 MiB of tensors and
    # a header of at most wire.MAX_HEADER, probe.Budget), though no exercise's reaches 1 MiB.
    observation_bytes: int = 64 * MiB
    tmp_bytes: int = 64 * MiB  # the private temporary directory, where it is a tmpfs

    def override(self, settings: list[str]) -> Limits:
        """These limits with ``name=value`` settings applied, e.g. ``memory_bytes=1GiB``."""
        changes = {}
        for setting in settings:
            name, _, text = setting.partition("=")
            name = ALIASES.get(name.strip(), name.strip())
            if name not in self.__dataclass_fields__ or not text:
                known = ", ".join([*self.__dataclass_fields__, *ALIASES])
                raise ValueError(f"cannot set {setting!r}: use NAME=VALUE with NAME one of {known}")
            changes[name] = parse_size(text) if name.endswith("_bytes") else type(getattr(self, name))(text)
        return replace(self, **changes)

    def to_dict(self) -> dict[str, float]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, float]) -> Limits:
        return cls(**{key: type(getattr(cls(), key))(value) for key, value in data.items()})


ALIASES = {
    "timeout": "wall_seconds",
    "cpu": "cpu_seconds",
    "memory": "memory_bytes",
    "file_size": "file_bytes",
    "output": "output_bytes",
    "tmp": "tmp_bytes",
    "observations": "observation_bytes",
}
UNITS = {"": 1, "b": 1, "k": 1024, "kib": 1024, "m": MiB, "mib": MiB, "g": GiB, "gib": GiB}


def parse_size(text: str) -> int:
    """``"2GiB"``, ``"512m"`` or ``"1048576"`` in bytes."""
    number = text.strip().rstrip("BbIi").lower() if text.strip()[-1:].isalpha() else text.strip()
    digits = number.rstrip("kmg")
    unit = text.strip()[len(digits) :].lower()
    if unit not in UNITS:
        raise ValueError(f"cannot read the size {text!r}: write it like 2GiB, 512MiB or 1048576")
    return int(float(digits) * UNITS[unit])


def data_segment_bytes() -> int:
    """This process's current data size (VmData): the baseline the memory limit adds to."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmData:"):
                return int(line.split()[1]) * 1024
    return 0


def apply_rlimits(limits: Limits, data_baseline: int, process_baseline: int = 0) -> None:
    """Cap this process (the worker) before any student code runs. Irreversible by design.

    The baselines are what the worker's user already holds: memory inherited from the warm
    engine, and processes that count against the same per-user limit.
    """

    def cap(kind: int, soft: int, hard: int | None = None) -> None:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(kind, (soft, soft if hard is None else hard))

    # RLIMIT_DATA counts heap and private anonymous mappings (Linux >= 4.7), which is where
    # tensors live; RLIMIT_AS would also count the address space torch reserves and never uses.
    cap(resource.RLIMIT_DATA, data_baseline + limits.memory_bytes)
    # One limit, not a soft SIGXCPU then a hard SIGKILL: a worker that is the first process of its
    # namespace is immune to SIGXCPU, so only the kill would stop it, a second later.
    cap(resource.RLIMIT_CPU, limits.cpu_seconds)
    cap(resource.RLIMIT_FSIZE, limits.file_bytes)
    cap(resource.RLIMIT_NOFILE, limits.open_files)
    cap(resource.RLIMIT_NPROC, process_baseline + limits.processes)
    cap(resource.RLIMIT_CORE, 0)
    cap(resource.RLIMIT_MEMLOCK, 0)
    # An oversized write then fails with an OSError the student can read, instead of SIGXFSZ.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def describe_size(size: float) -> str:
    for unit, scale in (("GiB", GiB), ("MiB", MiB), ("KiB", 1024)):
        if size >= scale:
            value = size / scale
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{int(size)} bytes"
