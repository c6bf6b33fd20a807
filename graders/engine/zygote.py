"""The zygote: a process that imports torch and every grader spec once, then forks a keeper per job.

Forking a warm process costs milliseconds where a fresh interpreter costs over a second of
``import torch``. The zygote itself never runs student code and never computes with torch, so
its memory holds no thread pools or secrets to inherit.

Protocol (JSON lines): the parent writes ``{"id": ..., "job": {...}}`` to stdin; the zygote
answers ``{"ready": true, "isolation": {...}}`` once, then ``{"id": ..., "exit": n}`` per job
when its keeper has written the report. End of stdin means shut down.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import signal
import time
from dataclasses import dataclass

from graders.engine.sandbox import Isolation

JOB_GRACE_SECONDS = 10.0  # beyond a job's wall limit, before the zygote kills its keeper


@dataclass
class Running:
    id: str
    pid: int
    pidfd: int
    slot: int
    deadline: float


# Imported once here so that no worker pays for them, and so that a worker that cannot read the
# Python runtime's files (reduced isolation as root, with Python under a private home) has them.
PRELOADED = (  # noqa: SIM905 - a word list reads better than seventy quoted lines
    "abc array ast base64 binascii bisect codecs collections contextlib copy csv ctypes dataclasses datetime "
    "decimal enum errno fnmatch fractions functools gc glob hashlib heapq importlib importlib.util inspect io "
    "itertools json linecache math numbers numpy operator os pathlib pickle platform queue random re select "
    "selectors shutil signal socket stat statistics string struct subprocess tempfile textwrap threading time "
    "tokenize traceback types typing uuid warnings weakref zipfile zlib torch.utils.data torch.nn.utils "
    # torch.optim imports this (some 800 modules) when the first optimizer is built: once here,
    # not in every worker that trains a step.
    "torch._dynamo"
).split()
ENCODINGS = ("utf-8", "utf-8-sig", "ascii", "latin-1", "utf-16", "utf-32", "cp1252", "idna")


def warm_up() -> None:
    """Import everything a worker may need, so that no worker pays for it or needs the files."""
    import codecs
    import importlib

    import torch

    for name in PRELOADED:
        importlib.import_module(name)
    for encoding in ENCODINGS:
        codecs.lookup(encoding)
    for optimizer in (torch.optim.SGD, torch.optim.Adam, torch.optim.AdamW):  # their lazy imports, no maths
        optimizer([torch.zeros(1, requires_grad=True)], lr=0.1)

    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    import traceback

    from graders import registry
    from graders.engine import keeper, worker  # noqa: F401 - imported for the forks

    for exercise_id in registry.ids():
        try:
            registry.get(exercise_id)
        except Exception:  # one broken spec must not stop the others from being graded
            traceback.print_exc()


class Zygote:
    def __init__(self, requests: int, answers: int, isolation: Isolation):
        self.requests, self.answers = requests, answers
        self.isolation = isolation
        self.selector = selectors.DefaultSelector()
        self.selector.register(requests, selectors.EVENT_READ)
        self.running: dict[int, Running] = {}  # by pidfd
        self.pending = b""

    def answer(self, message: dict) -> None:
        data = (json.dumps(message) + "\n").encode()
        while data:
            data = data[os.write(self.answers, data) :]

    def free_slot(self) -> int:
        taken = {job.slot for job in self.running.values()}
        return next(slot for slot in range(len(taken) + 1) if slot not in taken)

    def start(self, request: dict) -> None:
        from graders.engine import keeper
        from graders.engine.protocol import Job

        job = Job.from_json(request["job"])
        slot = self.free_slot()
        pid = os.fork()
        if pid == 0:
            null = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(null, fd)
            os.closerange(3, 1 << 16)
            keeper.run(job, slot, self.isolation)
        pidfd = os.pidfd_open(pid)
        deadline = time.monotonic() + job.limits.wall_seconds + JOB_GRACE_SECONDS
        self.running[pidfd] = Running(request["id"], pid, pidfd, slot, deadline)
        self.selector.register(pidfd, selectors.EVENT_READ)

    def finish(self, pidfd: int) -> None:
        job = self.running.pop(pidfd)
        self.selector.unregister(pidfd)
        os.close(pidfd)
        _, status = os.waitpid(job.pid, 0)
        self.answer({"id": job.id, "exit": os.waitstatus_to_exitcode(status)})

    def read_requests(self) -> bool:
        chunk = os.read(self.requests, 1 << 16)
        if not chunk:
            return False
        self.pending += chunk
        *lines, self.pending = self.pending.split(b"\n")
        for line in lines:
            if line.strip():
                self.start(json.loads(line))
        return True

    def serve(self) -> None:
        while True:
            deadlines = [job.deadline for job in self.running.values()]
            timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
            for key, _ in self.selector.select(timeout):
                if key.fd == self.requests:
                    if not self.read_requests():
                        return self.shutdown()
                else:
                    self.finish(key.fd)
            now = time.monotonic()
            for job in self.running.values():
                if now > job.deadline:  # a keeper that hangs is killed with its whole group
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(job.pid, signal.SIGKILL)

    def shutdown(self) -> None:
        for job in self.running.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(job.pid, signal.SIGKILL)
        for job in self.running.values():
            with contextlib.suppress(ChildProcessError):
                os.waitpid(job.pid, 0)


def main() -> None:
    from graders.engine import linux

    linux.die_with_parent()
    # The protocol gets its own descriptors; 0 and 1 go to /dev/null so that nothing a
    # library prints can corrupt it.
    requests, answers = os.dup(0), os.dup(1)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(2, 1)
    warm_up()
    from graders.engine import sandbox

    isolation = sandbox.detect()
    zygote = Zygote(requests, answers, isolation)
    zygote.answer({"ready": True, "isolation": isolation.to_json(), "pid": os.getpid()})
    zygote.serve()
    os._exit(0)  # skip interpreter teardown: nothing to flush, and torch's takes most of a second


if __name__ == "__main__":
    main()
