"""The parent reads the child's observations as untrusted bytes: data only, never objects."""

from __future__ import annotations

import io
import json
import math
import os
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import torch

from graders import wire


def payload(values: dict) -> dict:
    return {"values": values, "errors": {}, "stopped_by": None, "fatal": None}


def test_plain_observations_round_trip() -> None:
    values = {
        "t": torch.arange(6.0).reshape(2, 3),
        "half": torch.tensor([0.5, -1.0], dtype=torch.bfloat16),
        "mask": torch.tensor([[True], [False]]),
        "empty": torch.zeros(0, 3, dtype=torch.int64),
        "scalar": torch.tensor(7),
        "nan": float("nan"),
        "n": 3,
        "x": 1.5,
        "s": "text",
        "none": None,
        "flags": [True, False],
        "shape": (1, 2),
        "nested": {"a": {"b": [1, 2]}},
    }
    decoded = wire.decode(wire.encode(payload(values)))
    tensors = {key for key, value in values.items() if isinstance(value, torch.Tensor)}
    for key in tensors:
        assert type(decoded[key]) is torch.Tensor and decoded[key].dtype is values[key].dtype
        assert torch.equal(decoded[key], values[key])
    assert math.isnan(decoded["nan"])
    plain = set(values) - tensors - {"nan"}
    assert {key: decoded[key] for key in plain} == {key: values[key] for key in plain}
    assert type(decoded["shape"]) is tuple and type(decoded["flags"]) is list


class Planted:
    """Unpickling this would write a file: proof that code ran in the parent."""

    def __init__(self, path: str):
        self.path = path

    def __reduce__(self):
        return (Path(self.path).write_text, ("pwned",))


def test_a_pickled_object_is_rejected_without_running_it(tmp_path: Path) -> None:
    target = tmp_path / "pwned"
    buffer = io.BytesIO()
    torch.save({"format": wire.FORMAT, "values": {"x": Planted(str(target))}, "errors": {}}, buffer)
    with pytest.raises(wire.InvalidObservations):
        wire.decode(buffer.getvalue())
    raw = pickle.dumps({"format": wire.FORMAT, "values": {"x": Planted(str(target))}, "errors": {}})
    with pytest.raises(wire.InvalidObservations):
        wire.decode(raw)
    assert not target.exists()


class Liar(torch.Tensor):
    def __eq__(self, other):  # compares equal to anything
        return True


def crafted(header: object, data: bytes = b"") -> bytes:
    """Bytes in the wire's layout around any header: what a tampering child could send."""
    text = json.dumps(header).encode()
    return wire.MAGIC + len(text).to_bytes(8, "big") + text + data


def observations_with(value: object) -> dict:
    return {"dict": {"format": wire.FORMAT, "values": {"dict": {"x": value}}, "errors": {"dict": {}}}}


FLOATS = {"tensor": ["float32", [2]]}


@pytest.mark.parametrize(
    "bad",
    [
        b"",
        b"not observations",
        wire.MAGIC + (1 << 40).to_bytes(8, "big") + b"{}",  # a header longer than the data
        wire.encode({"values": [], "errors": {}}),
        wire.encode({"values": {"s": "x" * (wire.MAX_STRING + 1)}, "errors": {}}),
        wire.encode({"values": {}, "errors": {}, "stopped_by": "import"}),  # names an error it does not hold
        crafted({"dict": {"format": 1, "values": {"dict": {}}, "errors": {"dict": {}}}}),  # an older format
        crafted(observations_with({"dict": {"1": 2}, "tuple": []})),  # two tags in one node
        crafted(observations_with({"set": [1, 2]})),  # a type a probe never records
        crafted({"format": wire.FORMAT, "values": {}, "errors": {}}),  # an untagged dict
        crafted(observations_with({"tensor": ["complex64", [2]]}), bytes(16)),
        crafted(observations_with({"tensor": ["float32", [-2]]})),
        crafted(observations_with({"tensor": ["float32", [2.0]]}), bytes(16)),
        crafted(observations_with(FLOATS), bytes(4)),  # a tensor's bytes cut short
        crafted(observations_with(FLOATS), bytes(32)),  # bytes no tensor accounts for
        crafted(observations_with([[[[[[[[[[[[[[1]]]]]]]]]]]]]])),  # nested too deeply
        wire.MAGIC + (200_000).to_bytes(8, "big") + b"[" * 100_000 + b"]" * 100_000,  # too deep for a JSON parser
    ],
)
def test_malformed_observations_are_rejected(bad: bytes) -> None:
    with pytest.raises(wire.InvalidObservations):
        wire.decode(bad)


def test_what_a_probe_never_records_cannot_be_sent() -> None:
    for values in ({1: "non-string key"}, {"t": torch.zeros(2, dtype=torch.complex64)}, {"o": object()}):
        with pytest.raises(TypeError):
            wire.encode({"values": values, "errors": {}})


def test_a_crafted_boolean_is_a_valid_boolean() -> None:
    decoded = wire.decode(crafted(observations_with({"tensor": ["bool", [2]]}), bytes([7, 0]) + bytes(14)))
    assert decoded["x"].dtype is torch.bool and decoded["x"].tolist() == [True, False]


def test_a_tensor_subclass_does_not_survive_the_crossing() -> None:
    buffer = io.BytesIO()
    torch.save({"format": wire.FORMAT, "values": {"t": torch.zeros(3).as_subclass(Liar)}, "errors": {}}, buffer)
    try:
        decoded = wire.decode(buffer.getvalue())
    except wire.InvalidObservations:
        return
    assert type(decoded["t"]) is torch.Tensor


def test_too_many_elements_are_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wire, "MAX_ELEMENTS", 10)
    with pytest.raises(wire.InvalidObservations, match="too many tensor elements"):
        wire.decode(wire.encode(payload({"a": torch.zeros(6), "b": torch.zeros(6)})))


def decoding_growth(lists: int) -> dict:
    """Decode observations whose header is a list of ``lists`` empty lists, in a fresh process:
    whether they were refused, and by how much decoding alone raised its peak memory (ru_maxrss)."""
    script = textwrap.dedent("""
        import json, resource, sys
        from graders import wire

        header = b"[" + b"[]," * (int(sys.argv[1]) - 1) + b"[]]"
        data = wire.MAGIC + len(header).to_bytes(8, "big") + header
        del header
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        try:
            wire.decode(data)
            refused = None
        except wire.InvalidObservations as error:
            refused = str(error)
        growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
        print(json.dumps({"refused": refused, "growth": growth * 1024}))
    """)
    done = subprocess.run(
        [sys.executable, "-c", script, str(lists)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize(
    "lists",
    [16 << 20, wire.MAX_NODES],
    ids=["48 MiB of empty lists, 26 times that once built", "a short header of too many values"],
)
def test_a_header_that_would_cost_the_parent_much_is_refused_before_it_is_parsed(lists: int) -> None:
    result = decoding_growth(lists)
    assert result["refused"] is not None
    assert result["growth"] < 16 << 20, f"decoding took {result['growth'] >> 20} MiB"


def test_what_a_string_holds_is_not_counted_as_values() -> None:
    """Reprs and messages are full of commas and brackets: the count of values skips strings, their
    escaped quotes and backslashes included."""
    text = 'a, b: [c] {d} \\" \\'
    values = {"text": [text * 500] * (wire.MAX_NODES // 1000), "last": text}  # 400,000 commas and brackets
    decoded = wire.decode(wire.encode(payload(values)))
    assert decoded["last"] == text and len(decoded["text"]) == wire.MAX_NODES // 1000
