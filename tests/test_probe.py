"""The probe's shared toolbox (graders/probe.py), used directly as a grader spec's probe uses it."""

from __future__ import annotations

from collections import OrderedDict, defaultdict

import pytest
import torch
from torch import nn

from graders import wire
from graders.probe import Probe, StepFailed, mlp, named_tensors, to_plain


def make_probe() -> Probe:
    return Probe("submission.py", public_seed=1, secret_seed=2, hidden=False)


class Renamed(nn.Module):
    """Two layers like nn.Sequential(Linear(3, 4), Linear(4, 4)), under other names."""

    def __init__(self) -> None:
        super().__init__()
        self.encoder = nn.Linear(3, 4)
        self.decoder = nn.Linear(4, 4)


def test_fill_by_name_gives_the_same_values_to_the_same_names() -> None:
    a, b = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4)), nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4))
    make_probe().fill_parameters(a)
    make_probe().fill_parameters(b)
    assert all(torch.equal(x, y) for x, y in zip(a.state_dict().values(), b.state_dict().values(), strict=True))
    assert int(a[1].num_batches_tracked) == 0  # integers are left alone
    assert not torch.equal(a[1].running_mean, torch.zeros(4))  # float buffers are filled too


def test_fill_by_shape_ignores_names_and_tells_equal_shapes_apart_by_rank() -> None:
    reference, renamed = nn.Sequential(nn.Linear(3, 4), nn.Linear(4, 4)), Renamed()
    probe = make_probe()
    probe.fill_parameters(reference, by="shape")
    probe.fill_parameters(renamed, by="shape")
    assert torch.equal(renamed.encoder.weight, reference[0].weight)
    assert torch.equal(renamed.decoder.weight, reference[1].weight)
    assert torch.equal(renamed.encoder.bias, reference[0].bias)
    assert torch.equal(renamed.decoder.bias, reference[1].bias)
    assert not torch.equal(reference[0].bias, reference[1].bias)  # both (4,): the rank tells them apart
    other = nn.Sequential(nn.Linear(3, 4), nn.Linear(4, 4))
    probe.fill_parameters(other, "other-weights", by="shape")
    assert not torch.equal(other[0].weight, reference[0].weight)
    with pytest.raises(ValueError):
        probe.fill_parameters(other, by="names")  # type: ignore[arg-type]


def strict(value: int) -> int:
    if value < 0:
        raise ValueError(f"{value} is negative")
    return value


def unfinished(value: int) -> int:
    raise NotImplementedError("strict is not implemented yet")


def test_expect_error_records_what_was_raised_as_data() -> None:
    probe = make_probe()
    assert probe.expect_error("negative", "strict(-1)", strict, -1) == {
        "raised": "ValueError",
        "message": "-1 is negative",
    }
    probe.expect_error("positive", "strict(1)", strict, 1)
    assert probe.values["negative"]["raised"] == "ValueError"
    assert probe.values["positive"] == {"raised": None, "message": None}
    assert not probe.errors


def test_expect_error_treats_an_unfinished_stub_as_the_steps_error() -> None:
    probe = make_probe()
    with pytest.raises(StepFailed):
        probe.expect_error("negative", "strict(-1)", unfinished, -1)
    assert probe.errors["negative"]["type"] == "NotImplementedError"
    assert "negative" not in probe.values


def loaded(source: str) -> Probe:
    probe = make_probe()
    assert probe.load(source, "submission", "submission.py")
    return probe


def test_require_is_fatal_by_default_and_names_what_the_file_defines() -> None:
    probe = loaded("def count_module(model):\n    return 0\n")
    with pytest.raises(StepFailed):
        probe.require("count_modules")
    assert probe.fatal == "count_modules"
    assert probe.errors["count_modules"]["type"] == "MissingName"
    assert probe.errors["count_modules"]["defined"] == ["count_module"]


def test_require_without_fatality_ends_only_the_section_under_its_key() -> None:
    probe = loaded("Standardize = 3\n")
    with probe.section():
        probe.require("count_parameters", key="count", fatal=False)
    with probe.section():
        probe.require("Standardize", type, key="output", fatal=False)
    assert probe.fatal is None
    assert set(probe.errors) == {"count", "output"}
    assert probe.errors["output"]["type"] == "WrongKind"
    assert "`Standardize` should be a class" in probe.errors["output"]["message"]


class Shapes(dict):
    def items(self):  # student code that to_plain must not run
        raise RuntimeError("items() was called")


def test_to_plain_records_a_state_dict_as_a_plain_dict() -> None:
    state = nn.Linear(2, 1).state_dict()
    assert type(state) is OrderedDict
    plain = to_plain({"state": state, "counts": defaultdict(int, a=1)})
    assert type(plain["state"]) is dict and list(plain["state"]) == ["weight", "bias"]
    assert torch.equal(plain["state"]["weight"], state["weight"])
    assert plain["counts"] == {"a": 1}
    assert to_plain(Shapes(a=1))["__object__"].endswith("Shapes")


def test_errors_keep_the_order_they_happened_in() -> None:
    probe = make_probe()
    for key in ("first", "second", "first"):
        with probe.section():
            probe.fail(key, "Probe:Test", f"{key} failed", "testing")
    assert list(probe.errors) == ["second", "first"]


def test_named_tensors_gives_live_parameters_or_the_state_dict() -> None:
    model = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
    parameters = named_tensors(model)
    assert list(parameters) == ["0.weight", "0.bias", "1.weight", "1.bias"]
    assert parameters["0.weight"] is model[0].weight  # the object itself: a later record sees later values
    state = named_tensors(model, "state_dict")
    assert type(state) is dict and "1.running_mean" in state and "1.num_batches_tracked" in state


def test_labels_and_batches_are_named_and_the_same_in_every_run() -> None:
    labels = make_probe().labels("y", 3, 50)
    assert labels.dtype == torch.int64 and labels.shape == (50,) and set(labels.tolist()) == {0, 1, 2}
    assert torch.equal(labels, make_probe().labels("y", 3, 50))
    assert not torch.equal(labels, make_probe().labels("y", 3, 50, secret=True))
    (x, y), (x2, _) = make_probe().batches("train", 2, 6, 5, 3)
    assert x.shape == (6, 5) and y.shape == (6,) and not torch.equal(x, x2)
    assert torch.equal(y, make_probe().labels("train0/y", 3, 6))


def test_mlp_puts_the_activation_between_layers() -> None:
    model = mlp((4, 8, 3), nn.Tanh)
    assert [type(layer).__name__ for layer in model] == ["Linear", "Tanh", "Linear"]
    assert list(named_tensors(model)) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    layers = mlp((6, 8, 8), activate_last=True)
    assert [type(layer).__name__ for layer in layers] == ["Linear", "ReLU", "Linear", "ReLU"]


class NamedByNumber(type):
    """A metaclass that makes its classes' names anything but a string."""

    @property
    def __name__(cls):
        return 42

    @property
    def __module__(cls):
        return {"not": "a module"}


class Sneaky(ValueError, metaclass=NamedByNumber):
    pass


class Shouting(str):
    def __len__(self):  # student code that recording must not run
        raise RuntimeError("len() was called")


class Detaching(torch.Tensor):
    def detach(self):  # student code that recording must not run
        raise RuntimeError("detach() was called")


def raise_sneaky() -> None:
    raise Sneaky(Shouting("a message"))


def test_an_exception_is_described_in_strings_whatever_its_class_claims() -> None:
    probe = make_probe()
    with probe.section():
        probe.call("step", "raise_sneaky()", raise_sneaky)
    record = probe.errors["step"]
    assert record["type"] == "Sneaky" and record["message"] == "a message" and record["called"] == "raise_sneaky()"
    assert type(record["message"]) is str
    assert to_plain(Sneaky())["__object__"] == "test_probe.Sneaky"


def nameless_module_class() -> type:
    """A class made where there is no ``__name__``: it has no ``__module__`` at all."""
    namespace: dict = {"__builtins__": __builtins__}
    exec("made = type('Made', (), {})", namespace)
    return namespace["made"]


def nested(depth: int) -> list:
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


def test_whatever_a_submission_returns_is_recorded_as_data_the_wire_carries() -> None:
    """What the wire cannot carry is recorded as what it was; nothing of it makes sending fail."""
    hostile = {
        "complex": torch.ones(2, 3, dtype=torch.complex64),
        "sparse": torch.zeros(3).to_sparse(),
        "meta": torch.zeros(3, device="meta"),
        "many dimensions": torch.zeros([1] * 20),
        "empty but long": torch.zeros(0, 10**10),
        "subclass": torch.ones(2).as_subclass(Detaching),
        "huge integer": 10**5000,
        "set": {1, 2},
        "text": Shouting("shouted"),
        "deep": nested(50),
        "wide": [[0] * 10_000 for _ in range(30)],
        "sneaky": Sneaky(),
        "moduleless": nameless_module_class()(),
    }
    probe = make_probe()
    for key, value in hostile.items():
        probe.record(key, value)
    decoded = wire.decode(wire.encode(probe.payload()))
    assert decoded["complex"]["__object__"] == "torch.Tensor" and "complex64" in decoded["complex"]["repr"]
    assert "cannot compare" in decoded["complex"]["repr"] and "(2, 3)" in decoded["complex"]["repr"]
    assert {decoded[key]["__object__"] for key in ("sparse", "meta", "many dimensions", "empty but long")} == {
        "torch.Tensor"
    }
    assert {decoded[key]["__object__"] for key in ("sparse", "meta", "huge integer", "set")} == {
        "torch.Tensor", "int", "set"
    }  # fmt: skip
    assert torch.equal(decoded["subclass"], torch.ones(2))
    assert decoded["text"]["__object__"].endswith("Shouting") and decoded["moduleless"]["__object__"] == "Made"
    assert "__object__" in str(decoded["deep"])  # nested too deeply: the innermost levels are described
    assert 0 < sum(len(row) for row in decoded["wide"]) < 300_000  # within the probe's budget, cut short


def test_the_budget_ends_with_the_container_that_exceeds_it() -> None:
    probe = make_probe()
    probe.budget.nodes = 100
    probe.record("first", list(range(60)))
    probe.record("second", list(range(60)))
    probe.record("third", list(range(60)))
    assert probe.values["first"] == list(range(60))
    assert len(probe.values["second"]) < 60
    assert probe.values["third"] == {"__object__": "list", "repr": "<more than the grader records>"}


def test_a_module_in_two_places_is_named_by_its_second_name_and_hooks_are_counted_per_module() -> None:
    from graders.probe import GLOBAL_HOOKS, forward_hooks, repeated_modules

    shared = nn.Linear(2, 2)
    model = nn.Sequential(shared, nn.ReLU(), nn.Sequential(shared))
    assert repeated_modules(model) == {"2.0": "0"}
    model[1].register_forward_hook(lambda module, inputs, output: None)
    model.register_forward_pre_hook(lambda module, inputs: None)
    counts = forward_hooks(model)
    assert counts[""] == 1 and counts["1"] == 1 and counts["0"] == 0 and counts[GLOBAL_HOOKS] == 0
    handle = nn.modules.module.register_module_forward_hook(lambda module, inputs, output: None)
    try:
        assert forward_hooks(model)[GLOBAL_HOOKS] == 1
    finally:
        handle.remove()


def test_choice_picks_the_same_option_in_every_run_and_each_under_some_seed() -> None:
    options = ("model.", "net.", "_orig_mod.")
    picks = {Probe("f.py", 1, seed, hidden=True).choice("hidden/prefix", options, secret=True) for seed in range(40)}
    assert picks == set(options)
    assert len({make_probe().choice("prefix", options) for _run in range(3)}) == 1


def test_flags_and_gradients_are_read_by_name() -> None:
    from graders.probe import grads_of, requires_grad_of

    model = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 1))
    model[0].requires_grad_(False)
    model(torch.ones(1, 2)).sum().backward()
    assert requires_grad_of(model) == {"0.weight": False, "0.bias": False, "1.weight": True, "1.bias": True}
    grads = grads_of(named_tensors(model))
    assert grads["0.weight"] is None and torch.equal(grads["1.bias"], torch.ones(1))
