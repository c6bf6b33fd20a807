"""ex01 — the lecture's MyModel: subclass nn.Module, layers in __init__, computation in forward."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from graders.checks import (
    compare_fields,
    compare_gradients,
    compare_shapes,
    compare_values,
    count,
    is_mapping,
    values_match,
)
from graders.i18n import N_, Phrase, _
from graders.probe import Probe, build_module, describe_module
from graders.spec import Claim, Exercise, Hint, Observations, Verdict, fail, numbered, ok

exercise = Exercise(
    id="ex01_my_model",
    title=N_("MyModel: your first nn.Module"),
    hints=(
        Hint(
            N_(
                "A model is a class that subclasses nn.Module (capital M), and its `__init__` must let nn.Module "
                "set itself up before anything else happens in it."
            ),
            checks=("is_module",),
        ),
        Hint(
            N_(
                "Every layer lives on `self`, made once in `__init__`. A `Conv2d` takes (in_channels, out_channels, "
                "kernel_size): the first turns 1 channel into 20, the second keeps 20."
            ),
            checks=("conv1", "conv2", "parameter_count", "output_shape"),
        ),
        Hint(
            N_(
                "`forward` uses the stored layers in order, with a ReLU after each one, and returns the result as "
                "it is: still part of the autograd graph, so that backward() reaches the weights."
            ),
            checks=("output_values", "gradients", "call_equals_forward", "output_values_hidden", "gradients_hidden"),
        ),
    ),
    error_hints={
        "expected input[": N_(
            "conv1 takes 1 input channel: inputs have shape (N, 1, H, W). The lecture's "
            "slides feed a 3-channel image here, which is their mistake, not yours to copy."
        ),
    },
)

PUBLIC_SHAPE = (1, 1, 28, 28)  # the assignment's example
HIDDEN_INPUTS = 2  # a batch of images wider than tall, and one of images taller than wide
CALLED = "MyModel()(x)"
PUBLIC_CALL = Phrase(
    N_("{called} with x of shape {shape} and the reference's weights loaded into your model"),
    called=CALLED,
    shape=PUBLIC_SHAPE,
)
HIDDEN_CALL = Phrase(N_("{called} on hidden inputs of other batch and image sizes"), called=CALLED)
CONV_LABELS = {
    "in_channels": N_("{value} input channels"),
    "out_channels": N_("{value} output channels"),
    "kernel_size": N_("kernel size {value}"),
    "stride": N_("stride {value}"),
    "padding": N_("padding {value}"),
    "dilation": N_("dilation {value}"),
    "groups": N_("{value} groups"),
    "bias": N_("bias={value}"),
}
# Other ways to combine the student's own conv1 and conv2, recorded so that a wrong output can be
# recognised for what it is rather than guessed at. Each: what it computes, in the student's words.
VARIANTS: dict[str, Callable[[nn.Module, nn.Module, torch.Tensor], torch.Tensor]] = {
    "relu(conv2(conv1(x)))": lambda c1, c2, x: F.relu(c2(c1(x))),
    "conv2(relu(conv1(x)))": lambda c1, c2, x: c2(F.relu(c1(x))),
    "conv2(conv1(x))": lambda c1, c2, x: c2(c1(x)),
}
MISSING_RELU = {
    "relu(conv2(conv1(x)))": N_("the ReLU after conv1 is missing"),
    "conv2(relu(conv1(x)))": N_("the ReLU after conv2 is missing"),
    "conv2(conv1(x))": N_("both ReLUs are missing"),
}


def variants(model: nn.Module, x: torch.Tensor) -> dict[str, torch.Tensor]:
    """The student's layers combined the other ways (see VARIANTS); none if they are not both modules."""
    layers = [getattr(model, name, None) for name in ("conv1", "conv2")]
    if not all(isinstance(layer, nn.Module) for layer in layers):
        return {}
    with torch.no_grad():
        return {name: combine(*layers, x) for name, combine in VARIANTS.items()}


def hidden_shape(p: Probe, i: int) -> tuple[int, int, int, int]:
    """The shape of hidden input ``i``: a batch of 2 to 4 images, never square (wider than tall for the
    first input, taller than wide for the second), each side at least the 9 pixels two convolutions need."""
    batch = p.randint(f"hidden{i}/batch", 2, 4, secret=True)
    short = p.randint(f"hidden{i}/short", 9, 16, secret=True)
    long = short + p.randint(f"hidden{i}/longer", 1, 8, secret=True)
    return (batch, 1, short, long) if i % 2 == 0 else (batch, 1, long, short)


@exercise.probe
def probe(p: Probe) -> None:
    cls = p.require("MyModel", type)
    p.record("subclasses_module", p.call("class", "issubclass(MyModel, nn.Module)", issubclass, cls, nn.Module))
    model = build_module(p, "model", "MyModel()", cls, fatal=True)
    p.record("model", True)
    for name in ("conv1", "conv2"):
        p.record(name, describe_module(p.call(name, f"model.{name}", getattr, model, name, None)))
    p.observe("parameter_count", _("counting parameters"), lambda: sum(t.numel() for t in model.parameters()))

    p.call("weights", _("loading the reference's weights into your model"), p.fill_parameters, model)
    x = p.randn("x", *PUBLIC_SHAPE).requires_grad_()
    output = p.observe("output", CALLED, model, x, fatal=True)
    with p.section():
        p.backward("gradients", CALLED, output, dict(model.named_parameters()), {"x": x})
    with p.section():
        p.observe("forward_output", "MyModel().forward(x)", model.forward, x)
    with p.section():
        p.observe("variants", _("your conv1 and conv2 combined other ways"), variants, model, x.detach())

    if p.hidden:
        p.call("weights", _("loading hidden weights"), p.fill_parameters, model, "hidden-weights", secret=True)
        for i in range(HIDDEN_INPUTS):
            x = p.randn(f"hidden{i}/x", *hidden_shape(p, i), secret=True).requires_grad_()
            with p.section():
                output = p.observe(f"hidden_output{i}", HIDDEN_CALL, model, x)
                p.backward(f"hidden_gradients{i}", HIDDEN_CALL, output, dict(model.named_parameters()), {"x": x})


@exercise.check(points=1, concept="subclass", needs=("subclasses_module", "model"))
def is_module(s: Observations, r: Observations) -> Verdict:
    """MyModel is a subclass of nn.Module and MyModel() builds"""
    if not s["subclasses_module"]:
        return fail(_("MyModel does not subclass nn.Module."), _("Write `class MyModel(nn.Module):`."))
    return ok(_("MyModel subclasses nn.Module and MyModel() builds."))


def layer_check(name: str) -> Callable[[Observations, Observations], Verdict]:
    def judge(s: Observations, r: Observations) -> Verdict:
        return compare_fields(
            name,
            s[name],
            r[name],
            CONV_LABELS,
            missing_hint=_(
                "Create it in __init__ and store it on self as `self.{name}`. Layers created in forward are not "
                "part of the model: they get new random weights on every call and are never trained."
            ).format(name=name),
        )

    return judge


exercise.check(
    points=1, concept="subclass", needs=("conv1",), id="conv1", title=N_("conv1 is Conv2d(1, 20, kernel_size=5)")
)(layer_check("conv1"))
exercise.check(
    points=1, concept="subclass", needs=("conv2",), id="conv2", title=N_("conv2 is Conv2d(20, 20, kernel_size=5)")
)(layer_check("conv2"))


@exercise.check(points=1, concept="parameters", needs=("parameter_count",))
def parameter_count(s: Observations, r: Observations) -> Verdict:
    """MyModel has 10,540 parameters"""
    yours, reference = s["parameter_count"], r["parameter_count"]
    if yours == reference:
        return ok(_("Your model has {count} parameters, as expected.").format(count=count(yours)))
    hint = (
        _("A layer counts only if it is stored on self in __init__; layers built inside forward are not registered.")
        if yours == 0
        else _(
            "Check each layer's channels and kernel size: conv1 has 20·1·5·5 + 20 = 520, conv2 20·20·5·5 + 20 = 10,020."
        )
    )
    return fail(
        _("Your model has {yours} parameters; the reference has {reference}.").format(
            yours=count(yours), reference=count(reference)
        ),
        hint,
    )


@exercise.check(points=1, concept="forward", needs=("output",))
def output_shape(s: Observations, r: Observations) -> Verdict:
    """MyModel()(x) has shape (1, 20, 20, 20) for x of shape (1, 1, 28, 28)"""
    return compare_shapes(
        _("{called} with x of shape {shape}").format(called=CALLED, shape=PUBLIC_SHAPE),
        s["output"],
        r["output"],
        hint=_(
            "Each 5x5 convolution without padding trims 4 pixels from height and width; the channels "
            "come from conv2's out_channels."
        ),
    )


def diagnose(s: Observations, r: Observations, found: Any) -> Callable[[torch.Tensor, torch.Tensor], str]:
    """What the observations show about wrong values: layers unlike the reference's, a missing ReLU
    recognised among the ``found`` variants of the student's own layers, or nothing beyond the facts."""

    def diagnosis(yours: torch.Tensor, reference: torch.Tensor) -> str:
        if (
            s.get("parameter_count") != r["parameter_count"]
            or s.get("conv1") != r["conv1"]
            or s.get("conv2") != r["conv2"]
        ):
            return _("Your layers differ from the reference's (see the checks on conv1, conv2 and parameters).")
        if is_mapping(found):
            for name, value in found.items():
                if values_match(yours, value):
                    return _(
                        "Your output equals {variant} computed with your own layers: {mistake}. forward must "
                        "compute relu(conv2(relu(conv1(x))))."
                    ).format(variant=name, mistake=_(MISSING_RELU[name]))
        if bool((yours < 0).any()):
            return _("Your output has negative values, which a ReLU at the end never gives.")
        return _(
            "Your layers are the reference's, so the difference comes from forward: it must compute "
            "relu(conv2(relu(conv1(x)))) with the layers made in __init__."
        )

    return diagnosis


@exercise.check(points=2, concept="forward", needs=("output",))
def output_values(s: Observations, r: Observations) -> Verdict:
    """With the reference's weights loaded, MyModel()(x) equals the reference's output"""
    return compare_values(PUBLIC_CALL, s["output"], r["output"], diagnose(s, r, s.get("variants")))


@exercise.check(points=2, concept="autograd", needs=("gradients",))
def gradients(s: Observations, r: Observations) -> Verdict:
    """backward() from MyModel()(x) gives every weight, and x, the reference's gradient"""
    output_matches = "output" in s and values_match(s["output"], r["output"])
    return compare_gradients(PUBLIC_CALL, s["gradients"], r["gradients"], output_matches=output_matches)


@exercise.check(points=1, concept="forward", needs=("output", "forward_output"))
def call_equals_forward(s: Observations, r: Observations) -> Verdict:
    """model(x) and model.forward(x) give the same result"""
    if values_match(s["forward_output"], s["output"]):
        return ok(_("model(x) and model.forward(x) agree: without hooks, calling the model runs forward."))
    if s.get("parameter_count") == 0:
        return fail(
            _(
                "Called model(x), then model.forward(x) on the same x: they gave different results, and your model "
                "registers no parameters. So forward builds its layers, with new random weights, every time it runs."
            ),
            _("Create the layers once, in __init__, and only use them in forward."),
        )
    return fail(
        _("Called model(x), then model.forward(x) on the same x: they gave different results."),
        _(
            "Without hooks both run the same forward, so a difference means forward does not compute the same "
            "thing twice: does it create layers, or change the model, each time it runs?"
        ),
    )


@exercise.check(points=1, concept="forward", needs=("output", *numbered("hidden_output", HIDDEN_INPUTS)), hidden=True)
def output_values_hidden(s: Observations, r: Observations) -> Verdict:
    """MyModel()(x) equals the reference's on hidden inputs of other batch and image sizes"""
    for key in numbered("hidden_output", HIDDEN_INPUTS):
        verdict = compare_values(HIDDEN_CALL, s[key], r[key], hidden=True)
        if not verdict.passed:
            if values_match(s["output"], r["output"]):
                return fail(
                    verdict.message,
                    _(
                        "Your model is right on the public input only: forward must work for any batch size "
                        "and any image of at least 9x9 pixels, square or not, without assuming the public "
                        "input's shape."
                    ),
                )
            return verdict
    return ok(_("Your model matches the reference on hidden inputs of other batch and image sizes."))


@exercise.check(
    points=1,
    concept="autograd",
    needs=(*numbered("hidden_output", HIDDEN_INPUTS), *numbered("hidden_gradients", HIDDEN_INPUTS)),
    hidden=True,
)
def gradients_hidden(s: Observations, r: Observations) -> Verdict:
    """backward() gives the reference's gradients on hidden inputs and weights"""
    for key in numbered("hidden_gradients", HIDDEN_INPUTS):
        output_matches = values_match(s[key.replace("gradients", "output")], r[key.replace("gradients", "output")])
        verdict = compare_gradients(HIDDEN_CALL, s[key], r[key], hidden=True, output_matches=output_matches)
        if not verdict.passed:
            return verdict
    return ok(_("On hidden inputs, backward() gives every weight the reference's gradient."))


exercise.claims = (
    Claim("Every PyTorch model is a class that subclasses ``nn.Module``", ("is_module",)),
    Claim("``__init__`` calls ``super().__init__()`` first", ("is_module", "conv1", "conv2")),
    Claim("Storing a layer on ``self`` is what registers it", ("parameter_count", "gradients")),
    Claim("``forward(x)`` says how an input flows through those layers", ("output_values", "output_values_hidden")),
    Claim("You never call it directly: ``model(x)`` calls it for you", ("call_equals_forward",)),
    Claim("Write ``MyModel``, the lecture's first model", ("is_module",)),
    Claim("``conv1``: a 2-D convolution from 1 input channel to 20 output channels, kernel size 5", ("conv1",)),
    Claim("``conv2``: a 2-D convolution from 20 channels to 20 channels, kernel size 5", ("conv2",)),
    Claim("``forward(x)``: ``relu(conv2(relu(conv1(x))))``", ("output_values", "gradients", "output_values_hidden")),
    Claim("model(torch.zeros(1, 1, 28, 28)).shape torch.Size([1, 20, 20, 20])", ("output_shape",)),
    Claim("sum(p.numel() for p in model.parameters()) 10540", ("parameter_count",)),
    Claim("Any ReLU will do", ("output_values", "gradients", "gradients_hidden")),
    Claim("conv1 (1 -> 20, 5x5), ReLU, conv2 (20 -> 20, 5x5), ReLU.", ("conv1", "conv2", "output_values")),
    Claim(
        "x has shape (N, 1, H, W); the result has shape (N, 20, H - 8, W - 8).",
        ("output_shape", "output_values_hidden", "gradients_hidden"),
    ),
)
exercise.prose = (
    "Exercise 01 — MyModel: your first nn.Module.",
    "It does two things:",
    "Two corrections to the lecture's slides:",
    "The slides write ``class MyModel(nn.module)``.",
    "The class is ``nn.Module``, capital M",
    "The slides feed a 3-channel (colour) image",
    "Here the input is grayscale.",
)
