"""What a worker writes, passed on to the parent without ever entering the zygote's memory.

Every worker starts as a copy of the zygote, so whatever the zygote's memory once held, even freed,
a submission can find by reading its own address space. So the zygote never reads what a worker
sends: the kernel moves it (``splice``) from the worker's pipe into a memory file that the zygote
never maps, and once the job is over from there into the pipe to the parent. The zygote itself
reads only the 5-byte headers of the worker's frames and its stages (a few words each).
"""

from __future__ import annotations

import functools
import os

from graders.engine.limits import describe_size
from graders.engine.worker import OBSERVATIONS, STAGE

CHUNK = 1 << 16  # the most moved from one pipe per turn of the zygote's loop
FRAME_HEADER = 5  # a frame's kind (1 byte), then its payload's length (4 bytes, big-endian)
MAX_STAGE = 300


@functools.cache
def discard() -> int:
    """/dev/null: where the kernel drops what is counted but not kept."""
    return os.open(os.devnull, os.O_WRONLY | os.O_CLOEXEC)


def splice(source: int, target: int, count: int) -> int | None:
    """Move up to ``count`` bytes from the pipe ``source``: how many, 0 at its end, None while it is empty."""
    try:
        return os.splice(source, target, count, flags=os.SPLICE_F_NONBLOCK)
    except BlockingIOError:
        return None


def read(source: int, count: int) -> bytes | None:
    try:
        return os.read(source, count)
    except BlockingIOError:
        return None


class Relay:
    """Bytes from one of a worker's pipes: the first ``cap`` kept in a memory file, the rest
    counted and dropped, all by the kernel."""

    def __init__(self, cap: int):
        self.cap = cap
        self.file = os.memfd_create("forwardpass-relay", os.MFD_CLOEXEC)
        self.kept = 0
        self.total = 0

    def move(self, source: int, most: int = CHUNK) -> int | None:
        """Like ``splice``: up to ``most`` bytes from the pipe ``source``."""
        room = self.cap - self.kept
        moved = splice(source, self.file, min(most, room)) if room > 0 else splice(source, discard(), most)
        if moved:
            self.kept += moved if room > 0 else 0
            self.total += moved
        return moved

    def take(self, source: int) -> bool:
        """Take what the pipe holds now; False at its end."""
        return self.move(source) != 0

    def send(self, target: int) -> None:
        """Everything kept, into the pipe ``target``, which the parent reads."""
        offset = 0
        while offset < self.kept:
            offset += os.splice(self.file, target, self.kept - offset, offset_src=offset)

    def close(self) -> None:
        os.close(self.file)


class Frames:
    """The worker's frames: ``S``, a stage (what it is doing: it names what was running if the
    job is stopped), and ``O``, the observations, once. Stages are read here; the observations go
    into a ``Relay``, and only if their length is within the cap. Any breach of the protocol
    stops the parsing for good: the rest is dropped."""

    def __init__(self, observation_cap: int):
        self.relay = Relay(observation_cap)
        self.header = b""
        self.kind: bytes | None = None  # of the frame whose payload is being read
        self.remaining = 0  # bytes of that payload still to come
        self.text = b""  # of the stage being read
        self.stage = ""
        self.staged = False  # a stage arrived: the submission's code has started (``worker``)
        self.received = False  # the observations arrived whole
        self.error: str | None = None

    @property
    def observations(self) -> Relay | None:
        return self.relay if self.received and self.error is None else None

    def take(self, source: int) -> bool:
        """Parse what the pipe holds now, at most ``CHUNK`` bytes; False at its end."""
        budget = CHUNK
        while budget > 0:
            taken = self.step(source, budget)
            if taken is None:
                return True
            if taken == 0:
                return False
            budget -= taken
        return True

    def step(self, source: int, most: int) -> int | None:
        if self.error is not None:
            return splice(source, discard(), most)
        if self.kind is None:
            chunk = read(source, FRAME_HEADER - len(self.header))
            if chunk:
                self.header += chunk
                if len(self.header) == FRAME_HEADER:
                    self.begin(self.header[:1], int.from_bytes(self.header[1:], "big"))
            return None if chunk is None else len(chunk)
        if self.kind == STAGE:
            chunk = read(source, self.remaining)
            self.text += chunk or b""
            taken = None if chunk is None else len(chunk)
        else:
            taken = self.relay.move(source, min(most, self.remaining))
        self.remaining -= taken or 0
        if taken and not self.remaining:
            self.end()
        return taken

    def begin(self, kind: bytes, length: int) -> None:
        self.header = b""
        if kind not in (STAGE, OBSERVATIONS):
            self.error = "the data channel carried something other than the probe's frames"
        elif kind == STAGE and length > MAX_STAGE:
            self.error = "a stage message was too long"
        elif kind == OBSERVATIONS and self.received:
            self.error = "observations were sent twice"
        elif kind == OBSERVATIONS and length > self.relay.cap:
            self.error = f"the observations were larger than {describe_size(self.relay.cap)}"
        else:
            self.kind, self.remaining = kind, length
            if not length:
                self.end()

    def end(self) -> None:
        if self.kind == STAGE:
            self.stage, self.text = self.text.decode("utf-8", "replace"), b""
            self.staged = True
        else:
            self.received = True
        self.kind = None
