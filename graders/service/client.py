"""Reaching the warm engine service from a command: connect, start it where none runs, ask it, stop
it. Imports no torch: a command that grades through the service never does.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graders import registry
from graders.service import protocol
from graders.service.protocol import Channel

LAUNCH_SECONDS = 120  # for the service's first process to bind the socket, on a loaded machine
STOP_SECONDS = 120  # for it to finish the request in hand and shut its engine down


def enabled() -> bool:
    """Whether commands grade through the service: not where ``FORWARDPASS_ENGINE_SERVICE=off``,
    nor where its socket's path would be too long to bind."""
    return os.environ.get("FORWARDPASS_ENGINE_SERVICE", "").lower() != "off" and protocol.reachable_path()


def connect() -> Channel | None:
    """A connection to the running service; None if none answers."""
    if not protocol.reachable_path():
        return None
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(str(protocol.socket_path()))
        if protocol.peer_uid(connection) != os.geteuid():  # another user's socket in a shared folder
            raise PermissionError("the socket is not the checkout's owner's")
    except OSError:
        connection.close()
        return None
    return Channel(connection)


@contextlib.contextmanager
def starting() -> Iterator[None]:
    """One command at a time starts a service: the others wait, then find it running."""
    folder = protocol.folder()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    lock = os.open(folder / protocol.LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield
    finally:
        os.close(lock)


def launch() -> None:
    """Start the service in the background. Its first process returns once the socket is bound,
    the second stays and serves, in a session of its own: a Ctrl-C in the terminal is not for it.
    What it says goes to ``.forwardpass/engine.log``."""
    folder = protocol.folder()
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND | os.O_CLOEXEC
    with open(os.open(folder / protocol.LOG, flags, 0o600), "wb") as log:
        path = os.pathsep.join(filter(None, [str(registry.ROOT), os.environ.get("PYTHONPATH")]))
        subprocess.run(
            [sys.executable, "-m", "graders.service.server"],
            cwd=folder,
            env={**os.environ, "PYTHONPATH": path},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
            timeout=LAUNCH_SECONDS,
            check=False,
        )


def reach() -> Channel | None:
    """A connection to the service, started first if none runs; None if it cannot be had."""
    channel = connect()
    if channel is not None:
        return channel
    try:
        with starting():
            channel = connect()  # another command may have started it while this one waited
            if channel is None:
                launch()
                channel = connect()
    except (OSError, subprocess.SubprocessError):
        return None
    return channel


def ask(message: dict[str, Any]) -> dict[str, Any] | None:
    """The running service's answer to one message, on a connection of its own; None if none runs."""
    channel = connect()
    if channel is None:
        return None
    try:
        channel.send(message)
        return channel.receive()
    except (OSError, ValueError):
        return None
    finally:
        channel.close()


def status() -> dict[str, Any] | None:
    return ask({"command": "status"})


def stop() -> int | None:
    """Stop the running service and wait until it has exited; its process id, None if none ran."""
    answer = ask({"command": "stop"})
    if answer is None or "pid" not in answer:
        return None
    pid = int(answer["pid"])
    deadline = time.monotonic() + STOP_SECONDS
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return pid


def alive(pid: int) -> bool:
    """Whether the process runs still (an exited one its parent has not reaped yet does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")
