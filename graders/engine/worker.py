"""The worker: the only process that runs student code. It observes and reports, never judges.

It talks to its keeper over one pipe in frames: ``S`` (a stage, so that a timeout can say what
was running) and ``O`` (the observations, once, at the end). Whatever the student's code does
to this process, the keeper validates the frames and the parent validates the observations.
"""

from __future__ import annotations

import contextlib
import os
import random
import sys
from typing import NoReturn

import torch

from graders import registry, wire
from graders.engine import sandbox
from graders.engine.limits import data_segment_bytes
from graders.engine.protocol import Job
from graders.probe import Probe, StepFailed, describe_exception

FRAMES_FD = 3
STAGE, OBSERVATIONS = b"S", b"O"


def send_frame(kind: bytes, payload: bytes) -> None:
    data = kind + len(payload).to_bytes(4, "big") + payload
    view = memoryview(data)
    while view:
        written = os.write(FRAMES_FD, view)
        view = view[written:]


def send_stage(stage: str) -> None:
    send_frame(STAGE, stage.encode("utf-8", "replace")[:300])


def read_source(path: str) -> tuple[str | None, str | None]:
    """The submission as text, or why it cannot be read as Python source."""
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError as error:
        return None, f"could not read the file ({error.strerror})"
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        return None, "the file is not UTF-8 text (is it a binary file?)"


def run(job: Job, tmpdir: str, uid: int | None) -> NoReturn:
    """Entered right after the fork; never returns."""
    source, unreadable = read_source(job.source)
    sandbox.enter_reduced(job.limits, tmpdir, uid, data_segment_bytes())
    sys.path[:] = [tmpdir, *sandbox.importable_paths()]
    random.seed(0)
    torch.manual_seed(0)

    exercise = registry.get(job.exercise)
    probe = Probe(
        filename=job.filename,
        public_seed=job.public_seed,
        secret_seed=job.secret_seed,
        hidden=job.hidden,
        on_stage=send_stage,
    )
    if unreadable:
        probe.errors["import"] = {
            "type": "UnreadableFile",
            "message": unreadable,
            "called": "reading your file",
            "line": None,
            "code": None,
        }
        probe.stopped_by = probe.fatal = "import"
    elif probe.load(source, module_name=os.path.splitext(os.path.basename(job.filename))[0]):
        try:
            exercise.run_probe(probe)
        except StepFailed as stop:
            probe.stopped_by = str(stop)
        except BaseException as error:  # the probe tripped over the student's objects
            probe.errors["probe"] = describe_exception(error, "the grader's probe", job.filename)
            probe.stopped_by = probe.fatal = "probe"
    send_stage("sending results")
    send_frame(OBSERVATIONS, wire.encode(probe.payload()))
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(BaseException):
            stream.flush()
    os._exit(0)
