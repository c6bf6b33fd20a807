"""Observations on the wire: written by the child, read back and validated by the parent.

The child's bytes are untrusted. They are read with ``torch.load(weights_only=True)``, which
rebuilds only tensors and primitive containers (never arbitrary objects), and then walked once
more here: exact types, string keys, bounded size and nesting. Whatever fails is rejected whole.
"""

from __future__ import annotations

import io
import warnings
from typing import Any

import torch

from graders.spec import Observations

FORMAT = 1
MAX_ELEMENTS = 64_000_000  # tensor elements in one payload, all tensors together
MAX_STRING = 10_000
MAX_NODES = 200_000
MAX_DEPTH = 12
ALLOWED_DTYPES = {
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


class InvalidObservations(ValueError):
    """The child's data is not what a probe can produce: malformed, oversized or tampered with."""


def encode(payload: dict[str, Any]) -> bytes:
    """The child's side. No CRC over the tensors' bytes: it costs most of the time of saving,
    protects only against corruption in a pipe, and proves nothing about untrusted data."""
    buffer = io.BytesIO()
    crc = torch.serialization.get_crc32_options()
    torch.serialization.set_crc32_options(False)
    try:
        torch.save({"format": FORMAT, **payload}, buffer)
    finally:
        torch.serialization.set_crc32_options(crc)
    return buffer.getvalue()


def decode(data: bytes) -> Observations:
    try:
        with warnings.catch_warnings():  # torch warns about odd pickles; a rejection says enough
            warnings.simplefilter("ignore")
            payload = torch.load(io.BytesIO(data), weights_only=True, map_location="cpu")
    except Exception as error:
        raise InvalidObservations(f"unreadable observations ({type(error).__name__})") from None
    _Validator().walk(payload)
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


class _Validator:
    def __init__(self) -> None:
        self.nodes = 0
        self.elements = 0

    def walk(self, value: Any, depth: int = 0) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES or depth > MAX_DEPTH:
            raise InvalidObservations("observations nested too deeply or too many")
        kind = type(value)
        if value is None or kind in (bool, int, float):
            return
        if kind is str:
            if len(value) > MAX_STRING:
                raise InvalidObservations("a string in the observations is too long")
            return
        if kind is torch.Tensor:
            if value.dtype not in ALLOWED_DTYPES or value.layout != torch.strided or value.is_quantized:
                raise InvalidObservations(f"a tensor of unsupported kind ({value.dtype}, {value.layout})")
            self.elements += value.numel()
            if self.elements > MAX_ELEMENTS:
                raise InvalidObservations("the observations hold too many tensor elements")
            return
        if kind in (list, tuple):
            for item in value:
                self.walk(item, depth + 1)
            return
        if kind is dict:
            for key, item in value.items():
                if type(key) is not str:
                    raise InvalidObservations("a mapping in the observations has a non-string key")
                self.walk(item, depth + 1)
            return
        raise InvalidObservations(f"observations hold a {kind.__name__}, which a probe never records")
