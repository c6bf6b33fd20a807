"""Where the warm engine service lives, and how a message crosses its socket: one JSON object per
line each way, on a connection that a command keeps for as many requests as it makes.

Requests: ``{"command": "grade", "fingerprint": ..., "language": ..., "catalogs": ..., "options": {...},
"submissions": [...]}``, ``{"command": "status"}`` and ``{"command": "stop"}``. Whoever connects is
the checkout's owner (the socket is theirs alone, and the service checks its peer's user).
"""

from __future__ import annotations

import json
import os
import socket
import struct
from pathlib import Path
from typing import Any

from graders.learner import state

SOCKET, LOCK, LOG = "engine.sock", "engine.lock", "engine.log"
IDLE_SECONDS = 15 * 60  # unused this long, the service exits
MAX_MESSAGE = 256 << 20  # a class's results, with every output each student printed, fit many times
SUN_PATH = 108  # bytes the kernel keeps of a Unix socket's path, its final NUL included


def folder() -> Path:
    """The checkout's ``.forwardpass/`` (or ``$FORWARDPASS_STATE``), the learner's own."""
    return state.folder()


def socket_path() -> Path:
    return folder() / SOCKET


def reachable_path() -> bool:
    """Whether a socket's path fits where the kernel keeps it (a deep checkout's may not)."""
    return len(os.fsencode(socket_path().absolute())) < SUN_PATH


def peer_uid(connection: socket.socket) -> int:
    """The user of the process at the other end, as the kernel recorded it when the connection was
    made: each side checks that the other is the checkout's owner."""
    credentials = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return struct.unpack("3i", credentials)[1]


class Channel:
    """One connection: a message out, a message back."""

    def __init__(self, connection: socket.socket):
        self.socket = connection
        self.reader = connection.makefile("rb")

    def send(self, message: dict[str, Any]) -> None:
        self.socket.sendall(json.dumps(message).encode() + b"\n")

    def receive(self) -> dict[str, Any] | None:
        """The next message; None once the other side has closed the connection."""
        line = self.reader.readline(MAX_MESSAGE)
        if not line.endswith(b"\n"):
            return None
        message = json.loads(line)
        if not isinstance(message, dict):
            raise ValueError("a message must be a JSON object")
        return message

    def close(self) -> None:
        self.reader.close()
        self.socket.close()
