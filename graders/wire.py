"""Observations on the wire: written by the child, read back and validated by the parent.

The child's bytes are untrusted, so the format is one that can only ever decode to data: a JSON
header describing the values (tensors, numbers, strings, None, lists, tuples and string-keyed
dicts), followed by each tensor's raw bytes in the order the header names them. Nothing in it
names code to run, which a pickle (and so ``torch.load``) can; and reading it is a ``json.loads``
plus one ``torch.frombuffer`` per tensor, a fraction of what unpickling costs on every job.

Layout: ``MAGIC``, the header's length (8 bytes, big-endian), the header (UTF-8 JSON), then the
tensors' bytes, each padded to a multiple of ``ALIGN`` and starting exactly where the previous
one's padding ends, so that no two overlap and no byte goes unaccounted for. In the header a
list is a JSON array and a scalar is itself; a tuple, a dict and a tensor are tagged objects:
``{"tuple": [...]}``, ``{"dict": {...}}``, ``{"tensor": [dtype, shape]}``. Whatever deviates is
rejected whole.

Reading costs the parent a bounded amount whatever the bytes: the header is refused unread if it
is longer than ``MAX_HEADER`` or could hold more than ``MAX_NODES`` values (``json.loads`` builds
an object of some 60 bytes from each ``[],``), and the tensors share one copy of their bytes, which
the engine caps (``Limits.observation_bytes``). Both caps leave room for all a probe may record
(``probe.Budget``): a submission's answer, however large, arrives to be judged.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import torch

from graders.spec import Observations

FORMAT = 2
MAGIC = b"forwardpass observations\n"
ALIGN = 16
MAX_ELEMENTS = 64_000_000  # tensor elements in one payload, all tensors together
MAX_STRING = 10_000
# The largest header of a real payload is some 14 KB with two thousand values (ex03); a probe
# may record 4,000,000 characters, each at most 6 bytes once escaped (probe.Budget).
MAX_HEADER = 32 << 20
MAX_NODES = 200_000
QUOTED = re.compile(rb'"[^"]*+"')  # a JSON string once its escapes are gone, matched in one pass
MAX_DEPTH = 12
MAX_DIMENSIONS = 16
ALLOWED_DTYPES = frozenset(
    {
        torch.float16,
        torch.bfloat16,
        torch.float32,
        torch.float64,
        torch.int8,
        torch.uint8,
        torch.int16,
        torch.int32,
        torch.int64,
        torch.bool,
    }
)


def dtype_name(dtype: torch.dtype) -> str:
    return str(dtype).removeprefix("torch.")


DTYPES = {dtype_name(dtype): dtype for dtype in ALLOWED_DTYPES}


class InvalidObservations(ValueError):
    """The child's data is not what a probe can produce: malformed, oversized or tampered with."""


def padded(size: int) -> int:
    return -(-size // ALIGN) * ALIGN


# -- the child's side ---------------------------------------------------------------------------


def encode(payload: dict[str, Any]) -> bytes:
    """Encodes what a probe recorded; raises TypeError for anything a probe never records."""
    tensors: list[torch.Tensor] = []
    header = json.dumps(_node({"format": FORMAT, **payload}, tensors)).encode("utf-8")
    parts = [MAGIC, len(header).to_bytes(8, "big"), header]
    for tensor in tensors:
        data = memoryview(tensor.reshape(-1).view(torch.uint8).numpy())
        parts += (data, bytes(padded(data.nbytes) - data.nbytes))
    return b"".join(parts)


def _node(value: Any, tensors: list[torch.Tensor]) -> Any:
    kind = type(value)
    if value is None or kind in (bool, int, float, str):
        return value
    if kind is list:
        return [_node(item, tensors) for item in value]
    if kind is tuple:
        return {"tuple": [_node(item, tensors) for item in value]}
    if kind is dict:
        return {"dict": {_key(key): _node(item, tensors) for key, item in value.items()}}
    if isinstance(value, torch.Tensor) and value.dtype in ALLOWED_DTYPES and value.layout == torch.strided:
        tensor = value.detach().to("cpu").contiguous()
        tensors.append(tensor)
        return {"tensor": [dtype_name(tensor.dtype), list(tensor.shape)]}
    raise TypeError(f"observations cannot hold a {kind.__name__}")


def _key(key: Any) -> str:
    if type(key) is not str:
        raise TypeError(f"observations cannot have a {type(key).__name__} key")
    return key


# -- the parent's side --------------------------------------------------------------------------


def decode(data: bytes) -> Observations:
    payload = _Reader(data).payload()
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise InvalidObservations("observations in an unknown format")
    values, errors = payload.get("values"), payload.get("errors")
    if not isinstance(values, dict) or not isinstance(errors, dict):
        raise InvalidObservations("observations without values or errors")
    if not all(isinstance(error, dict) for error in errors.values()):
        raise InvalidObservations("an error record is not a mapping")
    stopped_by, fatal = payload.get("stopped_by"), payload.get("fatal")
    for key in (stopped_by, fatal):
        if key is not None and key not in errors:
            raise InvalidObservations("the observations name an error they do not hold")
    return Observations(values, errors, stopped_by, fatal)


def most_values(text: bytes) -> int:
    """How many values (and keys) a JSON text holds at most, counted before any is built: each but
    the first follows a ``[``, ``{``, ``,`` or ``:`` outside a string."""
    unescaped = text.replace(b"\\\\", b"").replace(b'\\"', b"")  # so every quote left opens or closes a string
    outside = QUOTED.sub(b"", unescaped)
    return 1 + sum(outside.count(mark) for mark in b"[{,:")


class _Reader:
    """Rebuilds the values from the header, checking every node, and the tensors from the data."""

    def __init__(self, data: bytes):
        if not data.startswith(MAGIC) or len(data) < len(MAGIC) + 8:
            raise InvalidObservations("unreadable observations (not forwardpass's format)")
        start = len(MAGIC) + 8
        length = int.from_bytes(data[len(MAGIC) : start], "big")
        if start + length > len(data):
            raise InvalidObservations("unreadable observations (cut short)")
        if length > MAX_HEADER:
            raise InvalidObservations("unreadable observations (a header too long)")
        header = data[start : start + length]
        if most_values(header) > MAX_NODES:
            raise InvalidObservations("observations nested too deeply or too many")
        try:
            self.header = json.loads(header.decode("utf-8"))
        except (ValueError, RecursionError):
            raise InvalidObservations("unreadable observations (a malformed header)") from None
        self.data = bytearray(memoryview(data)[start + length :])  # one copy, which the tensors then share
        self.offset = 0
        self.nodes = 0
        self.elements = 0

    def payload(self) -> Any:
        payload = self.value(self.header, 0)
        if self.offset != len(self.data):
            raise InvalidObservations("the observations hold bytes that no tensor accounts for")
        return payload

    def value(self, node: Any, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES or depth > MAX_DEPTH:
            raise InvalidObservations("observations nested too deeply or too many")
        kind = type(node)
        if node is None or kind in (bool, int, float):
            return node
        if kind is str:
            return self.string(node)
        if kind is list:
            return [self.value(item, depth + 1) for item in node]
        if kind is not dict or len(node) != 1:
            raise InvalidObservations("observations hold something a probe never records")
        [(tag, content)] = node.items()
        if tag == "tuple" and type(content) is list:
            return tuple(self.value(item, depth + 1) for item in content)
        if tag == "dict" and type(content) is dict:
            return {self.string(key): self.value(item, depth + 1) for key, item in content.items()}
        if tag == "tensor" and type(content) is list and len(content) == 2:
            return self.tensor(*content)
        raise InvalidObservations("observations hold something a probe never records")

    def string(self, text: str) -> str:
        if len(text) > MAX_STRING:
            raise InvalidObservations("a string in the observations is too long")
        return text

    def tensor(self, dtype_name: Any, shape: Any) -> torch.Tensor:
        dtype = DTYPES.get(dtype_name) if type(dtype_name) is str else None
        if dtype is None:
            raise InvalidObservations(f"a tensor of unsupported kind ({str(dtype_name)[:40]})")
        if type(shape) is not list or len(shape) > MAX_DIMENSIONS:
            raise InvalidObservations("a tensor in the observations has an impossible shape")
        for size in shape:
            if type(size) is not int or not 0 <= size <= MAX_ELEMENTS:
                raise InvalidObservations("a tensor in the observations has an impossible shape")
        count = math.prod(shape)
        self.elements += count
        if self.elements > MAX_ELEMENTS:
            raise InvalidObservations("the observations hold too many tensor elements")
        size = count * dtype.itemsize
        if self.offset + size > len(self.data):
            raise InvalidObservations("the observations are missing a tensor's bytes")
        if count == 0:
            return torch.empty(shape, dtype=dtype)
        # Booleans travel as bytes: any byte but 0 or 1 would be an invalid bool, so compare instead.
        stored = torch.uint8 if dtype is torch.bool else dtype
        flat = torch.frombuffer(self.data, dtype=stored, count=count, offset=self.offset)
        self.offset += padded(size)
        return (flat != 0 if dtype is torch.bool else flat).reshape(shape)
