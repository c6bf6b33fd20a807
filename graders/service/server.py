"""The warm engine service's process: one ``Engine``, the judge, and a socket.

``python -m graders.service.server`` (which ``client.launch`` runs in the service's folder) binds
the socket and forks: the first process returns as soon as commands can connect, the second serves
them. It starts the engine at once and imports torch while the zygote does the same, as a command
of its own would; connections that come meanwhile wait for it.

A request grades through ``grading.grade`` on the one engine, one request at a time, in the
language and with the options the command asked for; what grading says on stderr goes back with
the results. The zygote forks the same sandboxed workers as anywhere else, and nothing of this
process reaches them: the zygote is a fresh interpreter, started with no descriptor of its
sockets. The service stops taking connections when asked to, when a command's fingerprint is not
its own (forwardpass, the solutions or the Python environment changed), or when unused for
``IDLE_SECONDS``; it finishes the request in hand, shuts its engine down and exits.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import io
import os
import signal
import socket
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any

from graders import fingerprint
from graders.engine.client import Engine, EngineError
from graders.service import protocol
from graders.service.protocol import IDLE_SECONDS, Channel

BACKLOG = 64
ACCEPT_SECONDS = 1.0  # how often the loop looks up from accept() to see whether to stop


def answered(path: str) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        try:
            probe.connect(path)
        except OSError:
            return False
    return True


def listen(path: Path) -> socket.socket | None:
    """The service's socket at ``path``, readable and writable by its owner alone from the moment it
    exists; None if another service already answers there. A socket file left by a service that
    died is replaced."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    mask = os.umask(0o177)
    try:
        try:
            listener.bind(str(path))
        except OSError as error:
            if error.errno != errno.EADDRINUSE:
                raise
            if answered(str(path)):
                listener.close()
                return None
            os.unlink(path)
            listener.bind(str(path))
    finally:
        os.umask(mask)
    listener.listen(BACKLOG)
    return listener


class Service:
    def __init__(self, listener: socket.socket, path: Path, idle_seconds: float):
        self.listener = listener
        self.path = path
        self.bound = os.stat(path).st_ino  # to remove this socket file, never a successor's
        # Taken before the code it describes is imported: what changes later makes it stale.
        self.fingerprint = fingerprint.service()
        self.idle_seconds = idle_seconds
        self.started = time.time()
        self.engine = Engine()
        self.engine.start()
        self.ready = threading.Event()
        self.broken: str | None = None  # why it could not warm up
        self.grading = threading.Lock()  # one request at a time on the one engine
        self.changed = threading.Condition()  # over the counts below
        self.channels: set[Channel] = set()
        self.busy = 0  # requests being answered
        self.requests = 0
        self.accepted = 0  # connections, whoever made them
        self.last_used = time.monotonic()
        self.stopping = threading.Event()

    # -- life cycle

    def warm_up(self) -> None:
        """What a command's first grading would otherwise wait for: torch and the judge imported,
        the zygote ready; and the catalog of outlines written, from the specs imported by now."""
        try:
            from graders import catalog, grading  # noqa: F401 - imported now, while the zygote imports torch

            self.engine.ready()
            catalog.outlines()
        except Exception:
            self.broken = traceback.format_exc()
            print(self.broken, file=sys.stderr, flush=True)
            self.stop()
        self.ready.set()

    def serve(self) -> None:
        """Accept connections until stopped or unused for ``idle_seconds``; each is served in a thread."""
        self.listener.settimeout(ACCEPT_SECONDS)
        while not self.stopping.is_set():
            try:
                connection, _address = self.listener.accept()
            except TimeoutError:
                if self.unused():
                    self.stop()
                continue
            except OSError:
                if self.stopping.is_set():
                    break
                raise
            self.accepted += 1
            if protocol.peer_uid(connection) != os.geteuid():
                connection.close()
                continue
            channel = Channel(connection)
            with self.changed:
                self.channels.add(channel)
            threading.Thread(target=self.converse, args=(channel,), daemon=True).start()

    def unused(self) -> bool:
        with self.changed:
            idle = time.monotonic() - self.last_used
            return not self.channels and not self.busy and idle >= self.idle_seconds

    def stop(self) -> None:
        """Take no more connections: the socket's name goes at once, so that the next command starts
        a fresh service; what is being answered is finished (``shutdown``)."""
        if self.stopping.is_set():
            return
        self.stopping.set()
        with contextlib.suppress(OSError):
            if os.stat(self.path).st_ino == self.bound:
                os.unlink(self.path)

    def shutdown(self) -> None:
        self.listener.close()
        with self.changed:
            self.changed.wait_for(lambda: not self.busy)
            for channel in self.channels:  # a command waiting with its connection open sees it close
                with contextlib.suppress(OSError):
                    channel.socket.shutdown(socket.SHUT_RDWR)
        self.engine.close()

    # -- requests

    def converse(self, channel: Channel) -> None:
        try:
            while (request := channel.receive()) is not None:
                with self.changed:
                    self.busy += 1
                try:
                    channel.send(self.answer(request))
                finally:
                    with self.changed:
                        self.busy -= 1
                        self.changed.notify_all()
        except (OSError, ValueError):
            pass  # the command went away, or sent what is not a message: it is its loss alone
        finally:
            with self.changed:
                self.channels.discard(channel)
            channel.close()

    def answer(self, request: dict[str, Any]) -> dict[str, Any]:
        command = request.get("command")
        if command == "status":
            return self.status()
        if command == "stop":
            self.stop()
            return {"stopping": "asked to stop", "pid": os.getpid()}
        if command != "grade":
            return {"error": f"unknown command {command!r}"}
        if request.get("fingerprint") != self.fingerprint:
            self.stop()
            return {"stopping": "forwardpass, the solutions or the Python environment changed"}
        self.ready.wait()
        if self.broken:
            return {"error": f"the service could not start:\n{self.broken}"}
        with self.grading:
            if self.stopping.is_set():
                return {"stopping": "it is shutting down"}
            try:
                return self.grade(request)
            except Exception:  # a bug: the command grades in its own process instead, and says why
                return {"error": traceback.format_exc()}

    def grade(self, request: dict[str, Any]) -> dict[str, Any]:
        """Grade as the command's own process would (``grader.LocalGrader``), on this engine."""
        from graders import i18n
        from graders.grading import grade
        from graders.options import Options
        from graders.sources import Submission

        submissions = [Submission(s["exercise"], Path(s["path"]), s["label"]) for s in request["submissions"]]
        language, catalogs = request.get("language", i18n.ENGLISH), Path(request.get("catalogs") or i18n.LOCALES)
        said = io.StringIO()
        self.requests += 1
        self.last_used = time.monotonic()  # used: asking for its status is not
        try:
            with contextlib.redirect_stderr(said), i18n.speaking(language, catalogs):
                results = grade(submissions, self.engine, Options.from_json(request["options"]))
            isolation = self.engine.isolation
        except EngineError as failure:  # the command reports it; the next request gets a new engine
            self.engine.close()
            self.engine = Engine()
            self.engine.start()
            return {"engine_error": str(failure), "diagnostics": said.getvalue()}
        self.last_used = time.monotonic()
        records = [result.to_record() for result in results]
        return {"results": records, "isolation": isolation.to_json(), "diagnostics": said.getvalue()}

    def status(self) -> dict[str, Any]:
        with self.changed:
            connections = len(self.channels) - 1  # not counting the one asking
            idle = 0.0 if self.busy > 1 or connections else time.monotonic() - self.last_used
        ready = self.ready.is_set() and not self.broken
        return {
            "pid": os.getpid(),
            "fingerprint": self.fingerprint,
            "python": sys.executable,
            "started": self.started,
            "requests": self.requests,
            "accepted": self.accepted,
            "connections": connections,
            "idle_seconds": idle,
            "idle_limit": self.idle_seconds,
            "isolation": self.engine.isolation.to_json() if ready else None,
            "stopping": self.stopping.is_set(),
        }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m graders.service.server")
    parser.add_argument("--idle-seconds", type=float, default=IDLE_SECONDS, help="exit after this long unused")
    arguments = parser.parse_args(argv)
    path = protocol.socket_path().absolute()
    listener = listen(path)
    if listener is None:
        os._exit(0)  # one is running already
    if os.fork():
        os._exit(0)  # the command that started it may connect now; the child serves
    service = Service(listener, path, arguments.idle_seconds)
    signal.signal(signal.SIGTERM, lambda signum, frame: service.stop())
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=service.warm_up, daemon=True).start()
    try:
        service.serve()
    finally:
        service.stop()
        service.shutdown()
    os._exit(0)  # skip the interpreter's teardown: torch's takes most of a second


if __name__ == "__main__":
    main()
