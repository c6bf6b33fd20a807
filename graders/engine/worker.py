"""The worker: the only process that runs student code. It observes and reports, never judges.

It talks to the zygote over one pipe in frames: ``S`` (a stage, so that a timeout can say what
was running) and ``O`` (the observations, once, at the end). Whatever the student's code does
to this process, the zygote validates the frames and the parent validates the observations.

The first stage is sent just before the student's code runs. Until then only the grader's code has
run, and a worker that fails is the engine's failure; after it, a worker that ends without sending
its observations was ended by the submission, whatever its exit status says.
"""

from __future__ import annotations

import contextlib
import os
import random
import sys
import traceback
from pathlib import Path
from typing import NoReturn

import torch

from graders import i18n, registry, wire
from graders.engine import sandbox
from graders.engine.limits import data_segment_bytes
from graders.engine.protocol import Job
from graders.engine.sandbox import Isolation
from graders.i18n import _
from graders.probe import Probe, StepFailed, describe_exception

FRAMES_FD = 3
STAGE, OBSERVATIONS = b"S", b"O"
SANDBOX_FAILED = 70  # exit status: the sandbox could not be set up
WORKER_FAILED = 71  # exit status: the worker's own code failed


def send_frame(kind: bytes, payload: bytes) -> None:
    data = kind + len(payload).to_bytes(4, "big") + payload
    view = memoryview(data)
    while view:
        written = os.write(FRAMES_FD, view)
        view = view[written:]


def send_stage(stage: str) -> None:
    send_frame(STAGE, stage.encode("utf-8", "replace")[:300])


def decode_source(data: bytes) -> tuple[str | None, str | None]:
    """The submission as text, or why it cannot be read as Python source."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        return None, _("the file is not UTF-8 text (is it a binary file?)")


def grader_modules() -> list[str]:
    """The grader's modules imported so far. The zygote lists them, not the worker: walking all of
    ``sys.modules`` in a new worker touches a thousand shared pages, a copy-on-write fault each
    (milliseconds per job)."""
    return [name for name in sys.modules if name == "graders" or name.startswith("graders.")]


def hide_the_grader(names: list[str]) -> None:
    """Take the grader's modules out of the import system: the probe keeps its references, but
    ``import graders`` in the student's code finds nothing to patch (the files are not mounted)."""
    for name in names:
        sys.modules.pop(name, None)


def enter_sandbox(
    job: Job, workdir: Path | None, uid: int | None, isolation: Isolation, source: bytes, graders: list[str]
) -> str:
    """Confine this process; returns the path of the submission as the student's code sees it."""
    try:
        if isolation.level == "full":
            tmpdir = sandbox.enter_full(job.limits, uid, source, job.filename)
            path = f"/submission/{job.filename}"
        else:
            tmpdir, path = str(workdir / "tmp"), job.filename
        sandbox.confine(job.limits, tmpdir, uid, data_segment_bytes(), isolation)
        hide_the_grader(graders)
        return path
    except BaseException:
        traceback.print_exc()
        sys.stderr.flush()
        os._exit(SANDBOX_FAILED)


def run(job: Job, workdir: Path | None, uid: int | None, isolation: Isolation, graders: list[str]) -> NoReturn:
    """Entered right after the fork; never returns. ``workdir``: the job's folder at reduced
    isolation (``sandbox.prepare_workdir``); ``graders``: what ``grader_modules`` listed."""
    with open(job.source, "rb") as file:
        source = file.read()
    i18n.use(job.language, Path(job.catalogs))  # the zygote has read its catalog
    path = enter_sandbox(job, workdir, uid, isolation, source, graders)
    random.seed(0)
    # The CPU generator is the one there is. torch.manual_seed would also queue a seeding of CUDA
    # for later, with a formatted stack for its error message: milliseconds in a new worker.
    torch.random.default_generator.manual_seed(0)

    exercise = registry.get(job.exercise)
    probe = Probe(
        filename=job.filename,
        public_seed=job.public_seed,
        secret_seed=job.secret_seed,
        hidden=job.hidden,
        on_stage=send_stage,
    )
    text, unreadable = decode_source(source)
    if unreadable:
        probe.errors["import"] = {
            "type": "UnreadableFile",
            "message": unreadable,
            "called": _("reading your file"),
            "line": None,
            "code": None,
        }
        probe.stopped_by = probe.fatal = "import"
    else:
        if probe.load(text, module_name=Path(job.filename).stem, path=path):  # its first stage
            try:
                exercise.run_probe(probe)
            except StepFailed as stop:
                probe.stopped_by = str(stop)
            except BaseException as error:  # the probe tripped over the student's objects
                probe.errors["probe"] = describe_exception(error, _("the grader's probe"), job.filename)
                probe.stopped_by = probe.fatal = "probe"
        send_stage(_("sending results"))
    send_frame(OBSERVATIONS, wire.encode(probe.payload()))
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(BaseException):
            stream.flush()
    os._exit(0)
