"""The messages between the parent and the zygote: plain JSON, never pickles.

The parent writes a job per line. The zygote answers a job with one line (``answer_header``),
then what the worker sent (``PARTS``), each as many bytes as the line says: no file passes between
them, so a job costs the file system nothing but its source.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from graders.engine.limits import Limits
from graders.i18n import ENGLISH, LOCALES

JobKind = Literal["student", "reference"]
# What follows an answer's line, in this order: the worker's captured output and its observations.
PARTS = ("stdout", "stderr", "observations")


@dataclass(frozen=True)
class Job:
    """Grade one file against one exercise, in a fresh child."""

    id: str
    exercise: str
    source: str  # path of the code to run (a .py file; notebooks are converted beforehand)
    filename: str  # the name the student knows the file by, shown in tracebacks and messages
    public_seed: int
    secret_seed: int
    hidden: bool  # also run the hidden part of the probe
    kind: JobKind = "student"
    limits: Limits = field(default_factory=Limits)
    # The language of what the probe writes for the student (what it was running, what it found), and
    # the folder of its catalogs: the command's, passed along with each job.
    language: str = ENGLISH
    catalogs: str = str(LOCALES)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["limits"] = self.limits.to_dict()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Job:
        return cls(**{**data, "limits": Limits.from_dict(data["limits"])})


ReportStatus = Literal["finished", "timeout", "cpu", "memory", "engine_error"]


@dataclass
class Report:
    """What the zygote saw of a worker. Written by the zygote, which student code cannot reach."""

    status: ReportStatus
    exit_code: int | None = None
    signal: int | None = None
    wall_seconds: float = 0.0
    cpu_seconds: float = 0.0
    max_rss_bytes: int = 0  # the worker process alone, as the kernel counts it
    peak_memory_bytes: int = 0  # what the job's processes added together, sampled while it ran
    stage: str = ""  # what the worker was doing last ("importing your file", "MyModel()(x)")
    stdout: str = ""  # filled in by the parent, from the bytes that follow the answer's line
    stdout_bytes: int = 0
    stderr: str = ""
    stderr_bytes: int = 0
    observations_bytes: int = 0
    channel_error: str | None = None  # the worker's data channel broke its protocol
    leftover_processes: int = 0  # processes still alive after the worker ended, then killed
    rerun: bool = False  # run a second time, alone: the clock stopped the first with CPU time to spare
    detail: str = ""  # for engine errors: what went wrong, for the TA

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Report:
        known = cls.__dataclass_fields__
        return cls(**{key: value for key, value in data.items() if key in known})


def answer_header(job_id: str, report: Report, sizes: Mapping[str, int | None]) -> bytes:
    """The zygote's answer line for a finished job: the bytes of each of ``PARTS`` that follow
    it, None for observations the worker did not send."""
    answer = {"id": job_id, "report": report.to_json(), "sizes": {part: sizes.get(part) for part in PARTS}}
    return (json.dumps(answer) + "\n").encode()
