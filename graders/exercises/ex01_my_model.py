"""ex01 — the lecture's MyModel: subclass nn.Module, layers in __init__, computation in forward."""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn

from graders.checks import compare_fields, compare_values, count, describe, is_tensor, shape_text, values_match
from graders.probe import Probe, describe_module, to_plain, type_name
from graders.spec import Exercise, Hint, Observations, Verdict, fail, ok

exercise = Exercise(
    id="ex01_my_model",
    title="MyModel: your first nn.Module",
    hints=(
        Hint(
            "Start with `class MyModel(nn.Module):` (capital M) and make the first line of "
            "`__init__` `super().__init__()`: nn.Module needs to set itself up before you "
            "assign layers.",
            checks=("is_module",),
        ),
        Hint(
            "Create both layers in `__init__` and keep them on `self`: "
            "`self.conv1 = nn.Conv2d(1, 20, 5)` and `self.conv2 = nn.Conv2d(20, 20, 5)`. "
            "The arguments are (in_channels, out_channels, kernel_size).",
            checks=("conv1", "conv2", "parameter_count"),
        ),
        Hint(
            "In `forward`, use the layers you stored: `x = F.relu(self.conv1(x))`, then "
            "`return F.relu(self.conv2(x))`. Do not create layers in forward.",
            checks=("output_values", "call_equals_forward"),
        ),
    ),
    error_hints={
        "expected input[": "conv1 takes 1 input channel: inputs have shape (N, 1, H, W). The lecture's "
        "slides feed a 3-channel image here, which is their mistake, not yours to copy.",
    },
)

PUBLIC_SHAPE = (1, 1, 28, 28)
VALUES_SHAPE = (2, 1, 64, 64)
HIDDEN_INPUTS = 3
CALLED = "MyModel()(x)"
CONV_LABELS = {
    "in_channels": "{} input channels",
    "out_channels": "{} output channels",
    "kernel_size": "kernel size {}",
    "stride": "stride {}",
    "padding": "padding {}",
    "dilation": "dilation {}",
    "groups": "{} groups",
    "bias": "bias={}",
}


@exercise.probe
def probe(p: Probe) -> None:
    cls = p.require("MyModel", type)
    p.record("subclasses_module", p.call("class", "issubclass(MyModel, nn.Module)", issubclass, cls, nn.Module))
    model = p.call("model", "MyModel()", cls, fatal=True)
    if not isinstance(model, nn.Module):
        p.fail("model", "NotAModule", f"MyModel() returned a {type_name(model)}, not an nn.Module", "MyModel()", True)
    p.record("model", type_name(model))
    for name in ("conv1", "conv2"):
        p.record(name, describe_module(p.call(name, f"model.{name}", getattr, model, name, None)))
    p.observe("parameter_count", "counting parameters", lambda: sum(t.numel() for t in model.parameters()))

    p.call("weights", "loading the reference's weights into your model", p.fill_parameters, model)
    # One digit-sized image for the shape (the lecture's 256x256 one teaches the same arithmetic
    # at a hundred times the cost: its convolution alone took most of a job's time); a batch of
    # two for the values, which are compared element by element.
    output = p.call("output", CALLED, model, p.randn("x", *PUBLIC_SHAPE), fatal=True)
    p.record("output_shape", tuple(output.shape) if is_tensor(output) else to_plain(output))
    x = p.randn("values/x", *VALUES_SHAPE)
    output = p.observe("output", CALLED, model, x, fatal=True)
    if is_tensor(output):
        p.observe("forward_output", "MyModel().forward(x)", model.forward, x)

    if p.hidden:
        p.call("weights", "loading hidden weights", p.fill_parameters, model, "hidden-weights", secret=True)
        for i in range(HIDDEN_INPUTS):
            batch = p.randint(f"hidden{i}/batch", 2, 5, secret=True)
            height, width = (p.randint(f"hidden{i}/{side}", 9, 48, secret=True) for side in "hw")
            with p.section():
                p.observe(
                    f"hidden_output{i}",
                    "MyModel()(x) on a hidden input",
                    model,
                    p.randn(f"hidden{i}/x", batch, 1, height, width, secret=True),
                )


@exercise.check(points=1, needs=("subclasses_module", "model"))
def is_module(s: Observations, r: Observations) -> Verdict:
    """MyModel is a subclass of nn.Module and MyModel() builds"""
    if not s["subclasses_module"]:
        return fail("MyModel does not subclass nn.Module.", "Write `class MyModel(nn.Module):`.")
    return ok("MyModel subclasses nn.Module and MyModel() builds.")


def layer_check(name: str, construction: str) -> Verdict:
    def judge(s: Observations, r: Observations) -> Verdict:
        return compare_fields(
            name,
            s[name],
            r[name],
            CONV_LABELS,
            missing_hint=f"Create it in __init__: `self.{name} = {construction}`. Layers created in forward "
            "are not part of the model: they get new random weights on every call and are never trained.",
        )

    return judge


exercise.check(points=1, needs=("conv1",), id="conv1", title="conv1 is Conv2d(1, 20, kernel_size=5)")(
    layer_check("conv1", "nn.Conv2d(1, 20, 5)")
)
exercise.check(points=1, needs=("conv2",), id="conv2", title="conv2 is Conv2d(20, 20, kernel_size=5)")(
    layer_check("conv2", "nn.Conv2d(20, 20, 5)")
)


@exercise.check(points=1, needs=("parameter_count",))
def parameter_count(s: Observations, r: Observations) -> Verdict:
    """MyModel has 10,540 parameters"""
    yours, reference = s["parameter_count"], r["parameter_count"]
    if yours == reference:
        return ok(f"Your model has {count(yours)} parameters, as expected.")
    hint = (
        "A layer counts only if it is stored on self in __init__; layers built inside forward are not registered."
        if yours == 0
        else "Check each layer's channels and kernel size: conv1 has 20·1·5·5 + 20 = 520, "
        "conv2 20·20·5·5 + 20 = 10,020."
    )
    return fail(f"Your model has {count(yours)} parameters; the reference has {count(reference)}.", hint)


@exercise.check(points=2, needs=("output_shape",))
def output_shape(s: Observations, r: Observations) -> Verdict:
    """MyModel()(x) has shape (1, 20, 20, 20) for x of shape (1, 1, 28, 28)"""
    called = f"{CALLED} with x of shape {PUBLIC_SHAPE}"
    yours, reference = s["output_shape"], r["output_shape"]
    if not isinstance(yours, tuple):
        return fail(f"Called {called}: yours returned {describe(yours)}; the reference returns a tensor.")
    if yours == reference:
        return ok(f"Called {called}: your output has shape {shape_text(yours)}, as expected.")
    return fail(
        f"Called {called}: your output has shape {shape_text(yours)}; the reference's is {shape_text(reference)}.",
        "Each 5x5 convolution without padding trims 4 pixels from height and width; the channels "
        "come from conv2's out_channels.",
    )


def diagnose_values(s: Observations, r: Observations) -> Callable[[torch.Tensor, torch.Tensor], str]:
    """What most likely makes the student's values differ, given everything else observed."""

    def diagnosis(yours: torch.Tensor, reference: torch.Tensor) -> str:
        if s.get("parameter_count") != r["parameter_count"]:
            return "Your layers differ from the reference's (see the checks on conv1, conv2 and parameters)."
        if bool((yours < 0).any()):
            return "Your output has negative values, which a ReLU never gives: apply ReLU after conv2."
        return "Apply ReLU after conv1 as well as after conv2, and use conv1 then conv2 in that order."

    return diagnosis


@exercise.check(points=2, needs=("output",))
def output_values(s: Observations, r: Observations) -> Verdict:
    """With the reference's weights loaded, MyModel()(x) equals the reference's output"""
    return compare_values(
        f"{CALLED} with x of shape {VALUES_SHAPE} and the reference's weights loaded into your model",
        s["output"],
        r["output"],
        diagnose_values(s, r),
    )


@exercise.check(points=2, needs=("output", "forward_output"))
def call_equals_forward(s: Observations, r: Observations) -> Verdict:
    """model(x) and model.forward(x) give the same result"""
    if values_match(s["forward_output"], s["output"]):
        return ok("model(x) and model.forward(x) agree: without hooks, calling the model runs forward.")
    return fail(
        "Called model(x), then model.forward(x) on the same x: they gave different results.",
        "Without hooks both run the same forward, so a difference means forward is not repeatable: "
        "does it create layers (with fresh random weights) every time it runs? Create them in __init__.",
    )


@exercise.check(points=2, needs=("output", *(f"hidden_output{i}" for i in range(HIDDEN_INPUTS))), hidden=True)
def output_values_hidden(s: Observations, r: Observations) -> Verdict:
    """MyModel()(x) equals the reference's on hidden inputs of other batch and image sizes"""

    def diagnosis(yours: torch.Tensor, reference: torch.Tensor) -> str:
        if values_match(s["output"], r["output"]):
            return (
                "Your model is right on the public input only: make sure forward works for any batch size and "
                "any image of at least 9x9 pixels, without hard-coding the public input's shape."
            )
        return diagnose_values(s, r)(yours, reference)

    for i in range(HIDDEN_INPUTS):
        key = f"hidden_output{i}"
        verdict = compare_values(
            "MyModel()(x) on hidden inputs of other batch and image sizes", s[key], r[key], diagnosis, hidden=True
        )
        if not verdict.passed:
            return verdict
    return ok("Your model matches the reference on hidden inputs of other batch and image sizes.")
