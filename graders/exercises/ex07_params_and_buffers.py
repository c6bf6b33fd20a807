"""ex07 — parameters vs buffers vs plain tensors: a Standardize layer, and counting parameters."""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from graders.checks import compare_values, count, describe, listed, shape_text, values_match
from graders.probe import Probe, type_name
from graders.spec import Exercise, Hint, Observations, Verdict, fail, ok

exercise = Exercise(
    id="ex07_params_and_buffers",
    title="Parameters, buffers and plain tensors",
    hints=(
        Hint(
            "In `__init__`, after `super().__init__()`: `self.register_buffer('mean', mean.clone())` (and the same "
            "for std), then `self.weight = nn.Parameter(torch.ones_like(mean))` and "
            "`self.bias = nn.Parameter(torch.zeros_like(mean))`.",
            checks=("parameters", "buffers", "state_dict", "follows_to"),
        ),
        Hint(
            "A plain tensor attribute (`self.mean = mean`) is invisible to nn.Module: not in state_dict(), not "
            "converted by .to() or .double(). A tensor with requires_grad=True is still not a parameter: only "
            "nn.Parameter registers one.",
            checks=("buffers", "state_dict", "follows_to", "parameters"),
        ),
        Hint(
            "`sum(p.numel() for p in model.parameters())`: parameters() yields each parameter once, shared ones "
            "included only once, and no buffers. state_dict() holds buffers too and repeats tied weights.",
            checks=("count_parameters", "hidden_count_tied"),
        ),
    ),
    error_hints={
        "already exists": (
            "register_buffer creates the attribute itself: do not assign `self.mean = ...` before "
            "`self.register_buffer('mean', ...)`."
        ),
        "cannot assign 'torch.FloatTensor' as parameter": (
            "`self.weight` is already an nn.Parameter; assign a new nn.Parameter, or change its values in place "
            "under torch.no_grad()."
        ),
        "'list' object has no attribute 'numel'": "Call .numel() on each parameter, not on the list of them.",
    },
)

FEATURES, BATCH = 5, 4
NAMES = ("weight", "bias", "mean", "std")
CALLED = "Standardize(mean, std)"
COUNT_MODEL_TEXT = "nn.Sequential(nn.Linear(6, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 3))"


def count_model() -> nn.Module:
    return nn.Sequential(nn.Linear(6, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 3))


class TiedModel(nn.Module):
    """Hidden: an embedding whose weight the output layer shares, and a BatchNorm's buffers."""

    def __init__(self, vocabulary: int, width: int) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocabulary, width)
        self.norm = nn.BatchNorm1d(width)
        self.mix = nn.Linear(width, width)
        self.out = nn.Linear(width, vocabulary)
        self.out.weight = self.embed.weight  # tied: one parameter under two names


def count_facts(model: nn.Module) -> dict[str, int]:
    """The right count and the usual wrong ones, for explaining a wrong answer."""
    state = model.state_dict()
    return {
        "right": sum(p.numel() for p in model.parameters()),
        "state_dict": sum(t.numel() for t in state.values()),
        "with_duplicates": sum(p.numel() for _, p in model.named_parameters(remove_duplicate=False)),
        "buffers_added": sum(p.numel() for p in model.parameters()) + sum(b.numel() for b in model.buffers()),
        "tensors": len(list(model.parameters())),
        "state_dict_tensors": len(state),
    }


def kind_of(layer: nn.Module, name: str) -> str:
    """How the layer keeps ``name``: a parameter, a buffer, a plain tensor, or not at all."""
    if name in dict(layer.named_parameters(recurse=False)):
        return "parameter"
    if name in dict(layer.named_buffers(recurse=False)):
        return "non-persistent buffer" if name in layer._non_persistent_buffers_set else "buffer"
    value = getattr(layer, name, None)
    if isinstance(value, torch.Tensor):
        return "plain tensor requiring grad" if value.requires_grad else "plain tensor"
    return "missing" if value is None else type_name(value)


def build(p: Probe, key: str, mean: torch.Tensor, std: torch.Tensor) -> nn.Module:
    cls = p.require("Standardize", type, key=key, fatal=False)
    layer = p.call(key, CALLED, cls, mean.clone(), std.clone())
    if not isinstance(layer, nn.Module):
        p.fail(key, "NotAModule", f"{CALLED} returned a {type_name(layer)}, not an nn.Module", CALLED)
    return layer


def set_affine(layer: nn.Module, weight: torch.Tensor, bias: torch.Tensor) -> None:
    with torch.no_grad():
        layer.weight.copy_(weight)
        layer.bias.copy_(bias)


def statistics(p: Probe, name: str, features: int, secret: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
    mean = p.randn(f"{name}/mean", features, secret=secret)
    std = p.randn(f"{name}/std", features, secret=secret).abs() + 0.5
    return mean, std


@exercise.probe
def probe(p: Probe) -> None:
    mean, std = statistics(p, "public", FEATURES)
    x = p.randn("x", BATCH, FEATURES)
    weight, bias = p.randn("weight", FEATURES), p.randn("bias", FEATURES)
    p.record("count_facts", count_facts(count_model()))

    with p.section():
        layer = build(p, "registered", mean, std)
        p.record(
            "kinds",
            p.call(
                "registered",
                "looking at your layer's attributes",
                lambda: {name: kind_of(layer, name) for name in NAMES},
            ),
        )
        p.record(
            "parameters",
            p.call(
                "registered",
                "layer.named_parameters()",
                lambda: {
                    name: {"shape": tuple(t.shape), "requires_grad": t.requires_grad, "value": t}
                    for name, t in layer.named_parameters()
                },
            ),
        )
        p.record("buffers", p.call("registered", "layer.named_buffers()", lambda: dict(layer.named_buffers())))
        p.record("registered", True)

    with p.section():
        layer = build(p, "output", mean, std)
        p.call("output", "setting layer.weight and layer.bias", set_affine, layer, weight, bias)
        p.observe("output", "layer(x)", layer, x)

    with p.section():
        layer = build(p, "state_dict", mean, std)
        p.call("state_dict", "setting layer.weight and layer.bias", set_affine, layer, weight, bias)
        p.observe("saved_output", "layer(x)", layer, x)
        state = p.call("state_dict", "layer.state_dict()", layer.state_dict)
        p.record("state_dict", [str(key) for key in state])
        fresh = build(p, "roundtrip", torch.zeros(FEATURES), torch.ones(FEATURES))
        p.call(
            "roundtrip", "Standardize(zeros, ones).load_state_dict(layer.state_dict())", fresh.load_state_dict, state
        )
        p.observe("roundtrip", "the reloaded layer(x)", fresh, x)

    with p.section():
        layer = build(p, "converted", mean, std)
        p.call("converted", "layer.to(torch.float64)", layer.to, torch.float64)
        p.record(
            "converted",
            p.call(
                "converted",
                "reading the dtypes after layer.to(torch.float64)",
                lambda: {
                    name: str(value.dtype).removeprefix("torch.")
                    if isinstance(value, torch.Tensor)
                    else type_name(value)
                    for name in NAMES
                    for value in [getattr(layer, name, None)]
                },
            ),
        )

    with p.section():
        counter = p.require("count_parameters", key="count", fatal=False)
        p.observe("count", f"count_parameters({COUNT_MODEL_TEXT})", counter, count_model())

    if p.hidden:
        hidden_probe(p)


def hidden_probe(p: Probe) -> None:
    with p.section():
        features, batch = p.randint("hidden/features", 2, 8, secret=True), p.randint("hidden/batch", 1, 6, True)
        features += features >= FEATURES  # never the public size
        mean, std = statistics(p, "hidden", features, secret=True)
        layer = build(p, "hidden_output", mean, std)
        weight, bias = p.randn("hidden/weight", features, secret=True), p.randn("hidden/bias", features, secret=True)
        p.call("hidden_output", "setting layer.weight and layer.bias", set_affine, layer, weight, bias)
        p.observe("hidden_output", "layer(x) on a hidden input", layer, p.randn("hidden/x", batch, features, True))

    with p.section():
        model = TiedModel(p.randint("tied/vocabulary", 7, 30, secret=True), p.randint("tied/width", 3, 9, True))
        p.record("hidden_count_facts", count_facts(model))
        counter = p.require("count_parameters", key="hidden_count", fatal=False)
        p.observe("hidden_count", "count_parameters(model) on a hidden model", counter, model)


# -- checks --------------------------------------------------------------------------------


def kinds_text(kinds: dict[str, str], names: tuple[str, ...] = NAMES) -> str:
    return ", ".join(f"{name} is {article(kinds.get(name, 'missing'))}" for name in names)


def article(kind: str) -> str:
    return kind if kind == "missing" else f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}"


PLAIN_TENSOR = (
    "A plain tensor attribute (`self.{name} = ...`) is invisible to nn.Module: it is not in state_dict() "
    "(so it is not saved) and .to()/.double() leave it as it was. Register it with "
    "`self.register_buffer('{name}', {name})`."
)


def diagnose_kinds(kinds: dict[str, str], wanted: dict[str, str]) -> str | None:
    """A hint for the first attribute kept the wrong way."""
    for name, want in wanted.items():
        kind = kinds.get(name, "missing")
        if kind == want:
            continue
        if want == "buffer" and kind.startswith("plain tensor"):
            return PLAIN_TENSOR.format(name=name)
        if want == "buffer" and kind == "parameter":
            return (
                f"{name} is a statistic of the data, not something to learn: as an nn.Parameter it is handed to "
                f"the optimizer and counted as a parameter. Use `self.register_buffer('{name}', {name})`."
            )
        if want == "buffer" and kind == "non-persistent buffer":
            return (
                f"register_buffer('{name}', ..., persistent=False) keeps {name} out of state_dict(), so it is not "
                "saved; leave persistent at its default, True."
            )
        if want == "parameter" and kind == "plain tensor requiring grad":
            return (
                f"A tensor with requires_grad=True is not a parameter: nn.Module registers only nn.Parameter, so "
                f"parameters() and the optimizer never see {name}. Use `self.{name} = nn.Parameter(...)`."
            )
        if want == "parameter" and kind in ("plain tensor", "buffer", "non-persistent buffer"):
            return f"{name} is learned: make it `nn.Parameter(...)`."
        if kind == "missing":
            return f"Your layer has no attribute {name}: the assignment fixes the names weight, bias, mean and std."
    return None


def parameters_text(parameters: dict[str, Any]) -> str:
    if not parameters:
        return "none"
    return "; ".join(
        f"{name} of shape {shape_text(item['shape'])}" + ("" if item["requires_grad"] else " (requires_grad=False)")
        for name, item in parameters.items()
    )


@exercise.check(points=2, concept="parameters", needs=("registered",))
def parameters(s: Observations, r: Observations) -> Verdict:
    """weight (ones) and bias (zeros) are the layer's parameters, and nothing else is"""
    yours, reference = s["parameters"], r["parameters"]
    called = f"{CALLED} with F = {FEATURES} features, then layer.named_parameters()"
    hint = diagnose_kinds(s["kinds"], {"weight": "parameter", "bias": "parameter", "mean": "buffer", "std": "buffer"})
    if set(yours) != set(reference) or any(
        tuple(yours[name]["shape"]) != tuple(reference[name]["shape"]) or not yours[name]["requires_grad"]
        for name in reference
    ):
        return fail(
            f"Called {called}: yours are {parameters_text(yours)}; the reference's are {parameters_text(reference)}.",
            hint or "Make weight and bias nn.Parameters of shape (F,), and nothing else.",
        )
    starts = [name for name in reference if not values_match(yours[name]["value"], reference[name]["value"])]
    if starts:
        return fail(
            f"Called {called}: your {' and '.join(starts)} start with other values than the reference's.",
            "weight starts as ones (torch.ones_like(mean)), bias as zeros (torch.zeros_like(mean)): at first the "
            "layer only standardises.",
        )
    return ok(f"Called {called}: weight and bias, of shape ({FEATURES},), as expected.")


@exercise.check(points=2, concept="parameters", needs=("registered",))
def buffers(s: Observations, r: Observations) -> Verdict:
    """mean and std are buffers holding the statistics given to the constructor"""
    yours, reference = s["buffers"], r["buffers"]
    called = f"{CALLED}, then layer.named_buffers()"
    if set(yours) != set(reference):
        return fail(
            f"Called {called}: your buffers are {listed(yours, None, quote='')}; the reference's are "
            f"{listed(reference, None, quote='')} "
            f"({kinds_text(s['kinds'], ('mean', 'std'))} in yours).",
            diagnose_kinds(s["kinds"], {"mean": "buffer", "std": "buffer"}) or "Register mean and std as buffers.",
        )
    for name in reference:
        if not values_match(yours[name], reference[name]):
            return fail(
                f"Called {called}: your buffer {name} holds {describe(yours[name])} other than the {name} given to "
                "the constructor.",
                f"Store the constructor's {name} as it is: `self.register_buffer('{name}', {name}.clone())`.",
            )
    return ok(f"Called {called}: mean and std are buffers with the given values.")


@exercise.check(points=2, concept="parameters", needs=("state_dict", "saved_output", "roundtrip"))
def state_dict(s: Observations, r: Observations) -> Verdict:
    """state_dict() saves weight, bias, mean and std, so a reloaded layer computes the same"""
    yours, reference = list(s["state_dict"]), list(r["state_dict"])
    called = f"{CALLED}, then layer.state_dict()"
    if sorted(yours) != sorted(reference):
        missing = [key for key in reference if key not in yours]
        hint = diagnose_kinds(s.get("kinds", {}), {name: "buffer" for name in missing if name in ("mean", "std")})
        if hint is None:
            hint = diagnose_kinds(s.get("kinds", {}), {name: "parameter" for name in missing})
        return fail(
            f"Called {called}: your keys are {listed(yours, None, quote='')}; the reference's are "
            f"{listed(reference, None, quote='')}."
            + (f" Missing from yours: {listed(missing, None, quote='')}, which would not be saved." if missing else ""),
            hint or "state_dict() holds the parameters and the (persistent) buffers, under their attribute names.",
        )
    reloaded = "Standardize(zeros, ones).load_state_dict(layer.state_dict()), then the reloaded layer(x)"
    if values_match(s["roundtrip"], s["saved_output"]):
        return ok(
            f"Called {called}: its keys are {listed(reference, None, quote='')}, and a layer loaded from it computes "
            "the same."
        )
    return fail(
        f"Called {reloaded}: the reloaded layer's output differs from the saved layer's.",
        "Is something forward uses kept outside state_dict()? Everything the layer needs must be a parameter "
        "or a buffer.",
    )


@exercise.check(points=1, concept="parameters", needs=("converted",))
def follows_to(s: Observations, r: Observations) -> Verdict:
    """layer.to(torch.float64) converts mean, std, weight and bias"""
    yours, reference = s["converted"], r["converted"]
    called = f"{CALLED}, then layer.to(torch.float64)"
    left = [name for name in NAMES if yours.get(name) != reference[name]]
    if not left:
        return ok(f"Called {called}: all four tensors are float64 afterwards.")
    found = ", ".join(f"{name} is {yours.get(name)}" for name in left)
    hint = diagnose_kinds(
        s.get("kinds", {}), {name: "buffer" if name in ("mean", "std") else "parameter" for name in left}
    )
    return fail(
        f"Called {called}: afterwards {found}; the reference's are float64. On a GPU, .to('cuda') would leave "
        "them behind on the CPU the same way.",
        hint or "Only parameters and buffers are converted by .to(); register every tensor the layer owns.",
    )


@exercise.check(points=1, concept="parameters", needs=("output",))
def forward_values(s: Observations, r: Observations) -> Verdict:
    """layer(x) computes (x - mean) / std * weight + bias"""
    return compare_values(
        f"layer(x) with x of shape ({BATCH}, {FEATURES}) and the reference's weight and bias",
        s["output"],
        r["output"],
        "Standardise first, then scale and shift: (x - mean) / std * weight + bias, every operation per feature.",
    )


def diagnose_count(yours: Any, facts: dict[str, int], show: bool) -> str:
    def number(kind: str) -> str:
        return f" ({count(facts[kind])})" if show else ""

    if yours == facts["state_dict"] and facts["state_dict"] != facts["right"]:
        return (
            f"You counted the tensors of state_dict(){number('state_dict')}: it holds the buffers too "
            "(BatchNorm's running_mean, running_var, num_batches_tracked) and lists a tied weight under each of its "
            "names. Count model.parameters()."
        )
    if yours == facts["buffers_added"] and facts["buffers_added"] != facts["right"]:
        return "You counted the buffers too: they are saved, but not learned. Count model.parameters() only."
    if yours == facts["with_duplicates"] and facts["with_duplicates"] != facts["right"]:
        return (
            "You counted a shared (tied) parameter once per module that holds it. model.parameters() yields each "
            "parameter once."
        )
    if yours in (facts["tensors"], facts["state_dict_tensors"]):
        return "You counted tensors, not numbers: add up p.numel() for every parameter p."
    return "Add up p.numel() for every p in model.parameters()."


@exercise.check(points=2, concept="parameters", needs=("count", "count_facts"))
def count_parameters(s: Observations, r: Observations) -> Verdict:
    """count_parameters counts every parameter element once, and no buffers"""
    yours, reference = s["count"], r["count"]
    called = f"count_parameters({COUNT_MODEL_TEXT})"
    if yours == reference and not isinstance(yours, bool):
        return ok(f"Called {called}: yours returned {count(reference)}, as expected.")
    shown = count(yours) if isinstance(yours, int) and not isinstance(yours, bool) else describe(yours)
    return fail(
        f"Called {called}: yours returned {shown}; the reference returns {count(reference)}.",
        diagnose_count(yours, r["count_facts"], show=True),
    )


@exercise.check(points=1, concept="parameters", needs=("hidden_output",), hidden=True)
def hidden_forward(s: Observations, r: Observations) -> Verdict:
    """Standardize works for other numbers of features and batch sizes"""
    return compare_values(
        "Standardize(mean, std) and layer(x) with a hidden number of features and batch size",
        s["hidden_output"],
        r["hidden_output"],
        "Do not depend on the public size: take the number of features from mean's shape.",
        hidden=True,
    )


@exercise.check(points=2, concept="parameters", needs=("hidden_count", "hidden_count_facts"), hidden=True)
def hidden_count_tied(s: Observations, r: Observations) -> Verdict:
    """count_parameters counts a tied weight once, and no buffers"""
    called = "count_parameters(model) on a hidden model with a weight tied between two layers and BatchNorm buffers"
    if s["hidden_count"] == r["hidden_count"] and not isinstance(s["hidden_count"], bool):
        return ok(f"Called {called}: your count matches the reference's.")
    return fail(
        f"Called {called}: your count differs from the reference's.",
        diagnose_count(s["hidden_count"], r["hidden_count_facts"], show=False),
    )
