"""The parent reads the child's observations as untrusted bytes: data only, never objects."""

from __future__ import annotations

import io
import pickle
from pathlib import Path

import pytest
import torch

from graders import wire


def payload(values: dict) -> dict:
    return {"values": values, "errors": {}, "stopped_by": None, "fatal": None}


def test_plain_observations_round_trip() -> None:
    values = {
        "t": torch.arange(6.0).reshape(2, 3),
        "n": 3,
        "x": 1.5,
        "s": "text",
        "none": None,
        "flags": [True, False],
        "shape": (1, 2),
        "nested": {"a": {"b": [1, 2]}},
    }
    decoded = wire.decode(wire.encode(payload(values)))
    assert type(decoded["t"]) is torch.Tensor and torch.equal(decoded["t"], values["t"])
    assert {key: decoded[key] for key in values if key != "t"} == {key: v for key, v in values.items() if key != "t"}


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


@pytest.mark.parametrize(
    "bad",
    [
        b"",
        b"not a torch file",
        wire.encode({"values": [], "errors": {}}),
        wire.encode({"values": {1: "non-string key"}, "errors": {}}),
        wire.encode({"values": {"s": "x" * (wire.MAX_STRING + 1)}, "errors": {}}),
        wire.encode({"values": {}, "errors": {}, "stopped_by": "import"}),  # names an error it does not hold
        wire.encode({"values": {"t": torch.zeros(2, dtype=torch.complex64)}, "errors": {}}),
    ],
)
def test_malformed_observations_are_rejected(bad: bytes) -> None:
    with pytest.raises(wire.InvalidObservations):
        wire.decode(bad)


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
