"""The zygote: imports torch and every grader spec once, then forks a worker per job and
supervises them all from one event loop.

Forking a warm process costs milliseconds where a fresh interpreter costs over a second of
``import torch``; forking it once per job, not twice, halves what isolation costs. The zygote
never runs student code, and computes with torch only in a rehearsal on made-up data with one
thread (``rehearsal``), so its memory holds no thread pools or secrets to inherit.

Protocol (JSON lines): the parent writes ``{"id": ..., "job": {...}}`` to stdin; the zygote
answers ``{"ready": true, "isolation": {...}}`` once, then per job its report and what the worker
sent (``protocol.answer_header``). End of stdin means shut down. The parent may send more jobs than
the zygote runs at once (``--jobs``): the zygote queues them and forks the next the moment a
worker ends, so that no core waits for a round trip through the parent.

What a worker sends never enters the zygote's memory, which every later worker starts as a copy
of: the kernel relays it (``relay``). A job the clock stopped while it had CPU time to spare is
run again before it is answered, alone, in case what it waited for was slowed by the others.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import json
import os
import selectors
import signal
import sys
import time
from collections import deque
from pathlib import Path

from graders import i18n
from graders.engine import linux, rehearsal, sandbox, seccomp, supervision, worker
from graders.engine.protocol import PARTS, Job, Report, answer_header
from graders.engine.relay import Relay
from graders.engine.sandbox import Isolation
from graders.engine.supervision import Supervision
from graders.files import remove_tree

# Modules student code commonly imports, imported once here so that no worker pays for them. Most
# come with torch, and stay warm should it stop importing them; statistics, decimal and fractions
# do not: a job that imported them took 6 ms more of CPU without (a job of an empty file, 6 ms), and
# the zygote's start takes some 16 ms more with them. Where the workers' user may not read the
# runtime's folders and none could be opened for it (``imports.note``), these are what it can use.
PRELOADED = (  # noqa: SIM905 - a word list reads better than seventy quoted lines
    "abc array ast base64 binascii bisect codecs collections contextlib copy csv ctypes dataclasses datetime "
    "decimal enum errno fnmatch fractions functools gc glob hashlib heapq importlib importlib.util inspect io "
    "itertools json linecache math numbers numpy operator os pathlib pickle platform queue random re select "
    "selectors shutil signal socket stat statistics string struct subprocess tempfile textwrap threading time "
    "tokenize traceback types typing uuid warnings weakref zipfile zlib torch.utils.data torch.nn.utils"
).split()
# Orphans are looked for this often, and at reduced isolation after each job too (at full
# isolation a worker's processes die with it, in its process namespace, and never reach the
# zygote). Reading /proc on every turn of the loop cost milliseconds per job.
SWEEP_SECONDS = 0.5
ENCODINGS = ("utf-8", "utf-8-sig", "ascii", "latin-1", "utf-16", "utf-32", "cp1252", "idna")


def warm_up(preload: list[str]) -> None:
    """Import everything a worker may need, so that no worker pays for it or needs the files.
    ``preload``: what the parent knows its jobs will need beyond that (``Engine(preload=...)``)."""
    import codecs
    import importlib
    import traceback

    import torch

    from graders import registry

    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    for name in PRELOADED:
        importlib.import_module(name)
    for name in preload:
        try:
            importlib.import_module(name)
        except Exception:  # the workers that need it will say why
            traceback.print_exc()
    for encoding in ENCODINGS:
        codecs.lookup(encoding)
    from graders import wire

    wire.decode(wire.encode({"values": {"t": torch.zeros(1)}, "errors": {}}))  # the tensor-to-numpy path
    for exercise_id in registry.ids():
        try:
            registry.get(exercise_id)
        except Exception:  # one broken spec must not stop the others from being graded
            traceback.print_exc()
    rehearsal.rehearse()
    if seccomp.supported():
        seccomp.compiled()
    sandbox.importable_paths()
    settle()


def settle() -> None:
    """After the zygote has loaded what workers need: keep the garbage collector off those objects
    (a collection writes to each, and every page it writes is copied), and put the memory on huge
    pages, so that a fork copies, and a worker's exit frees, far fewer page-table entries."""
    gc.freeze()
    linux.collapse_into_huge_pages()


class Zygote:
    def __init__(self, requests: int, answers: int, isolation: Isolation, concurrency: int, workroot: Path):
        self.requests, self.answers = requests, answers
        self.isolation = isolation
        self.workroot = workroot  # a job's folder, at reduced isolation only, is workroot / job id
        self.concurrency = concurrency
        self.queue: deque[dict] = deque()  # requests not yet started
        self.selector = selectors.DefaultSelector()
        self.selector.register(requests, selectors.EVENT_READ, None)
        self.jobs: dict[str, Supervision] = {}  # by job id
        self.slots: dict[str, int] = {}
        self.pending = b""
        self.baseline = supervision.anonymous_memory(os.getpid())
        self.graders: tuple[int, list[str]] = (0, [])  # (len(sys.modules), the grader's modules)
        self.next_sweep = time.monotonic()

    def answer(self, message: dict) -> None:
        self.send((json.dumps(message) + "\n").encode())

    def send(self, *parts: bytes | Relay) -> None:
        try:
            for part in parts:
                if isinstance(part, Relay):
                    part.send(self.answers)
                    continue
                view = memoryview(part)
                while view:
                    view = view[os.write(self.answers, view) :]
        except BrokenPipeError:  # the parent stopped reading: it is shutting down or gone
            raise ParentGone from None

    # -- starting a job

    def free_slot(self) -> int:
        taken = set(self.slots.values())
        return next(slot for slot in range(len(taken) + 1) if slot not in taken)

    def preload(self, exercise_id: str) -> None:
        """Import what the exercise's spec asks for, once, before its first worker is forked."""
        from graders import registry

        try:
            modules = registry.get(exercise_id).preload
        except Exception:  # a broken spec: its worker reports it
            return
        missing = [name for name in modules if name not in sys.modules]
        for name in missing:
            importlib.import_module(name)
        if missing:
            settle()
            self.baseline = supervision.anonymous_memory(os.getpid())

    def grader_modules(self) -> list[str]:
        """``worker.grader_modules()``, listed again only after an import: walking ``sys.modules``
        touches pages that running workers share, a copy-on-write fault each."""
        if self.graders[0] != len(sys.modules):
            self.graders = (len(sys.modules), worker.grader_modules())
        return self.graders[1]

    def start_queued(self) -> None:
        """A rerun runs alone: it waits for the running jobs to end, and nothing starts beside it."""
        while self.queue and len(self.jobs) < self.concurrency:
            if any(run.rerun for run in self.jobs.values()) or (self.queue[0].get("rerun") and self.jobs):
                return
            self.start(self.queue.popleft())

    def start(self, request: dict) -> None:
        job = Job.from_json(request["job"])
        self.preload(job.exercise)
        i18n.translation(job.language, Path(job.catalogs))  # read here, once: a worker cannot, and inherits it
        slot = self.free_slot()
        uid = sandbox.worker_uid(slot, self.isolation)
        workdir = sandbox.prepare_workdir(self.workroot / job.id, uid, self.isolation)
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        frames_r, frames_w = os.pipe()
        graders = self.grader_modules()
        with sandbox.new_process_namespace(self.isolation):
            pid = os.fork()
            if pid == 0:
                self.become_worker(job, workdir, uid, (out_w, err_w, frames_w), graders)
        for fd in (out_w, err_w, frames_w):
            os.close(fd)
        # Scanning /proc for the worker's user costs milliseconds; a process namespace makes it moot.
        sweep_uid = None if self.isolation.level == "full" else uid
        run = Supervision(job, pid, sweep_uid, out_r, err_r, frames_r, self.baseline, request.get("rerun", False))
        self.jobs[job.id], self.slots[job.id] = run, slot
        for fd in (out_r, err_r, frames_r):
            self.selector.register(fd, selectors.EVENT_READ, (job.id, "pipe"))
        self.selector.register(run.pidfd, selectors.EVENT_READ, (job.id, "exit"))

    def become_worker(
        self, job: Job, workdir: Path | None, uid: int | None, pipes: tuple[int, int, int], graders: list[str]
    ) -> None:
        """In the child: stdin on /dev/null, its pipes on 1, 2 and 3, nothing else open."""
        try:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the zygote's handler is not the worker's
            null = os.open(os.devnull, os.O_RDONLY)
            out_w, err_w, frames_w = pipes
            for source, target in ((null, 0), (out_w, 1), (err_w, 2), (frames_w, worker.FRAMES_FD)):
                os.dup2(source, target)
            os.closerange(worker.FRAMES_FD + 1, 1 << 16)
            os.setsid()  # no controlling terminal, and a process group of its own
            worker.run(job, workdir, uid, self.isolation, graders)
        finally:  # whatever escapes, the worker never returns into the zygote's loop
            import traceback

            traceback.print_exc()
            os._exit(worker.WORKER_FAILED)

    # -- the loop

    def serve(self) -> None:
        while True:
            wakeup = min([run.next_wakeup() for run in self.jobs.values()], default=self.next_sweep)
            timeout = max(0.0, min(wakeup, self.next_sweep) - time.monotonic())
            events = self.selector.select(timeout)
            woke = time.monotonic()
            for key, _ in events:
                if key.data is None:
                    if not self.read_requests():
                        return self.shutdown()
                    continue
                job_id, kind = key.data
                run = self.jobs[job_id]
                if kind == "exit":
                    self.selector.unregister(key.fd)
                    run.exited()
                elif not run.feed(key.fd):
                    self.selector.unregister(key.fd)
                    os.close(key.fd)
            now = time.monotonic()
            completed = False
            for job_id, run in list(self.jobs.items()):
                run.tick(now)
                if run.status is not None and (not self.open_pipes(job_id) or now >= run.drain_until):
                    self.complete(job_id)
                    completed = True
            self.start_queued()
            if (completed and self.isolation.level != "full") or now >= self.next_sweep:
                self.sweep_orphans()
                self.next_sweep = now + SWEEP_SECONDS
            busy = time.monotonic() - woke  # this turn's own work: no job's time
            for run in self.jobs.values():
                run.pause(busy)

    def open_pipes(self, job_id: str) -> list[int]:
        return [key.fd for key in self.selector.get_map().values() if key.data == (job_id, "pipe")]

    def complete(self, job_id: str) -> None:
        run = self.jobs.pop(job_id)
        self.slots.pop(job_id)
        for fd in self.open_pipes(job_id):
            self.selector.unregister(fd)
            os.close(fd)
        try:
            report, parts = run.finish()
        except Exception as error:  # a bug of the engine's: the parent reports it for this job
            import traceback

            traceback.print_exc()
            report, parts = Report(status="engine_error", detail=f"the zygote failed: {error!r}"), {}
        if run.to_run_again(report):
            self.queue.appendleft({"id": job_id, "job": run.job.to_json(), "rerun": True})
        else:
            relays = [parts.get(part) for part in PARTS]
            sizes = {part: None if relay is None else relay.kept for part, relay in zip(PARTS, relays, strict=True)}
            self.send(answer_header(job_id, report, sizes), *(relay for relay in relays if relay))
        run.close()
        if self.isolation.level != "full":  # the folder prepare_workdir made, and what the worker wrote there
            remove_tree(self.workroot / job_id)

    def sweep_orphans(self) -> None:
        """Processes that outlived a worker come back to the zygote (a subreaper): kill them.
        Its only legitimate children are the workers it is supervising."""
        workers = {run.pid for run in self.jobs.values()}
        for pid in supervision.children_of(os.getpid()) - workers:
            supervision.kill(pid)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)

    def read_requests(self) -> bool:
        chunk = os.read(self.requests, 1 << 16)
        if not chunk:
            return False
        self.pending += chunk
        *lines, self.pending = self.pending.split(b"\n")
        self.queue.extend(json.loads(line) for line in lines if line.strip())
        return True

    def shutdown(self) -> None:
        self.queue.clear()
        for run in self.jobs.values():
            run.stop("timeout")
        for run in self.jobs.values():
            with contextlib.suppress(ChildProcessError):
                os.waitpid(run.pid, 0)
        self.sweep_orphans()


class ParentGone(BaseException):
    """The process that started the engine has died: the zygote cleans up after it."""


def parent_gone(signal_number: int, frame: object) -> None:
    raise ParentGone


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m graders.engine.zygote")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="workers to run at once")
    parser.add_argument("--preload", default="", help="modules to import before answering ready, comma-separated")
    arguments = parser.parse_args()
    concurrency = max(1, arguments.jobs)
    workroot = Path(os.environ.get("FORWARDPASS_WORKROOT") or os.getcwd())
    zygote: Zygote | None = None
    # If the parent dies, even by SIGKILL, the zygote hears of it, whatever it is doing by then
    # (still importing what it preloads, say): it stops its workers and removes the work folder,
    # which holds students' files, instead of leaving it in /tmp. A parent that died even earlier
    # is noticed at the first answer, which finds nobody reading.
    signal.signal(signal.SIGTERM, parent_gone)
    linux.die_with_parent(signal.SIGTERM)
    try:
        # The protocol gets its own descriptors; 0 and 1 go to /dev/null so that nothing a
        # library prints can corrupt it.
        requests, answers = os.dup(0), os.dup(1)
        null = os.open(os.devnull, os.O_RDWR)
        os.dup2(null, 0)
        os.dup2(2, 1)
        isolation = sandbox.prepare_zygote()
        warm_up([name for name in arguments.preload.split(",") if name])
        isolation = sandbox.detect(isolation, workroot / "root", concurrency)
        linux.become_subreaper()
        zygote = Zygote(requests, answers, isolation, concurrency, workroot)
        zygote.answer({"ready": True, "isolation": isolation.to_json(), "pid": os.getpid()})
        zygote.serve()
    except ParentGone:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # one clean-up, however many signals come
        if zygote is not None:
            zygote.shutdown()
        sandbox.remove_template()
        remove_tree(workroot)
    os._exit(0)  # skip interpreter teardown: nothing to flush, and torch's takes most of a second


if __name__ == "__main__":
    main()
