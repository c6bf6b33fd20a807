"""ex02 — layers are created in __init__ and used in forward; layers built in forward are new every call."""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import nn

from graders.checks import (
    compare_shapes,
    compare_values,
    count,
    describe,
    is_tensor,
    shape_text,
    shapes_listed,
    total_size,
    values_match,
)
from graders.probe import Probe, named_tensors, type_name
from graders.spec import Exercise, Hint, Observations, Verdict, fail, ok

exercise = Exercise(
    id="ex02_init_vs_forward",
    preload=("torch._dynamo",),  # the probe trains with torch.optim
    title="TwoLayerMLP: layers live in __init__",
    hints=(
        Hint(
            "Create both layers in `__init__`, after `super().__init__()`, and keep them on `self`: "
            "`self.fc1 = nn.Linear(in_features, hidden)` and `self.fc2 = nn.Linear(hidden, out_features)`. "
            "That is what registers their weights as the model's parameters.",
            checks=("parameter_count", "hidden_parameter_count"),
        ),
        Hint(
            "`forward` only uses the stored layers: `return self.fc2(F.relu(self.fc1(x)))`. Writing "
            "`nn.Linear(...)` inside forward builds a new layer with new random weights on every call.",
            checks=("output_shape", "output_values", "same_output_twice", "learns"),
        ),
        Hint(
            "Use the constructor's arguments, not the example's numbers: the grader also builds "
            "TwoLayerMLP with other sizes.",
            checks=("hidden_parameter_count", "hidden_output_values"),
        ),
    ),
    error_hints={
        "optimizer got an empty parameter list": (
            "Your model has no parameters, so an optimizer has nothing to train and the model cannot learn. "
            "Layers created inside forward are not registered: create them in __init__ and store them on self."
        ),
    },
)

SIZES = (8, 32, 4)  # in_features, hidden, out_features: pairwise different, so shapes identify tensors
BATCH = 5
LEARNING_RATE = 0.1
BUILT = "TwoLayerMLP(8, 32, 4)"
CALLED = f"{BUILT}(x)"

STEP = f"one step of torch.optim.SGD(model.parameters(), lr={LEARNING_RATE}) on the MSE loss"
NO_PARAMETERS = (
    "Your model has no parameters, so there were no weights to load into it and nothing for an optimizer "
    "to train. Layers created inside forward are not part of the model: create them in __init__ and "
    "store them on self."
)
NEW_EACH_CALL = (
    "Your forward gives a different result every time it runs on the same input: it creates layers "
    "(with new random weights) each time. Create the layers once, in __init__, and only use them in forward."
)


# -- probe ---------------------------------------------------------------------------------


def one_step(model: nn.Module, x: torch.Tensor, target: torch.Tensor) -> None:
    """One torch.optim.SGD step on the mean squared error of model(x) against target."""
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
    optimizer.zero_grad()
    F.mse_loss(model(x), target).backward()
    optimizer.step()


@exercise.probe
def probe(p: Probe) -> None:
    cls = p.require("TwoLayerMLP", type)
    model = p.call("model", BUILT, cls, *SIZES, fatal=True)
    if not isinstance(model, nn.Module):
        p.fail("model", "NotAModule", f"{BUILT} returned a {type_name(model)}, not an nn.Module", BUILT, True)
    p.observe("parameters", "listing model.named_parameters()", named_tensors, model)

    x = p.randn("x", BATCH, SIZES[0])
    p.call("weights", "loading the reference's weights into your model", p.fill_parameters, model, by="shape")
    p.observe("output", CALLED, model, x, fatal=True)
    with p.section():
        p.observe("output_again", f"{CALLED} a second time, on the same x", model, x)
    with p.section():
        p.call("weights", "loading the reference's weights into your model", p.fill_parameters, model, by="shape")
        target = p.randn("target", BATCH, SIZES[2])
        p.call("trained_output", STEP, one_step, model, x, target)
        p.observe("trained_output", f"{CALLED} after one optimizer step", model, x)

    if p.hidden:
        sizes = (
            p.randint("hidden/in", 2, 6, secret=True),
            p.randint("hidden/hidden", 13, 40, secret=True),
            p.randint("hidden/out", 7, 12, secret=True),
        )
        with p.section():
            other = p.call("hidden_parameters", "TwoLayerMLP with other sizes", cls, *sizes)
            p.observe(
                "hidden_parameters", "listing named_parameters() of TwoLayerMLP with other sizes", named_tensors, other
            )
            p.call(
                "hidden_output", "loading hidden weights", p.fill_parameters, other, "hidden-weights", True, by="shape"
            )
            batch = p.randint("hidden/batch", 2, 9, secret=True)
            hidden_x = p.randn("hidden/x", batch, sizes[0], secret=True)
            p.observe("hidden_output", "TwoLayerMLP with other sizes, on a hidden input", other, hidden_x)


# -- checks --------------------------------------------------------------------------------


@exercise.check(points=1, concept="subclass", needs=("output",))
def output_shape(s: Observations, r: Observations) -> Verdict:
    """TwoLayerMLP(8, 32, 4)(x) has shape (5, 4) for x of shape (5, 8)"""
    return compare_shapes(
        f"{CALLED} with x of shape {shape_text((BATCH, SIZES[0]))}",
        s["output"],
        r["output"],
        hint="The first layer maps in_features to hidden, the second hidden to out_features.",
    )


@exercise.check(points=2, concept="subclass", needs=("parameters",))
def parameter_count(s: Observations, r: Observations) -> Verdict:
    """TwoLayerMLP(8, 32, 4) registers 420 parameters"""
    yours, reference = total_size(s["parameters"]), total_size(r["parameters"])
    if yours == reference:
        return ok(f"{BUILT} registers {count(yours)} parameters ({shapes_listed(s['parameters'])}), as expected.")
    if not yours:
        hint = (
            "Layers created inside forward, or kept in a plain Python list, are not registered. Create them "
            "in __init__ and store them on self: `self.fc1 = nn.Linear(in_features, hidden)`."
        )
    else:
        hint = (
            "Check both layers: Linear(in_features, hidden) has in_features·hidden weights and hidden biases, "
            "Linear(hidden, out_features) has hidden·out_features weights and out_features biases."
        )
    return fail(
        f"{BUILT} registers {count(yours or 0)} parameters ({shapes_listed(s['parameters'])}); the reference "
        f"registers {count(reference)} ({shapes_listed(r['parameters'])}).",
        hint,
    )


def diagnose_values(s: Observations, r: Observations) -> Callable[[torch.Tensor, torch.Tensor], str]:
    """What most likely makes the student's values differ, given everything else observed."""

    def diagnosis(yours: torch.Tensor, reference: torch.Tensor) -> str:
        if total_size(s.get("parameters")) == 0:
            return NO_PARAMETERS
        if "output_again" in s and not values_match(s["output_again"], s["output"]):
            return NEW_EACH_CALL
        if total_size(s.get("parameters")) != total_size(r["parameters"]):
            return "Your layers differ from the reference's (see the parameter_count check)."
        if not bool((yours < 0).any()) and bool((reference < 0).any()):
            return "Your outputs are never negative: the last layer's output gets no ReLU."
        return "Apply the ReLU between the two layers: fc2(relu(fc1(x)))."

    return diagnosis


@exercise.check(points=3, concept="subclass", needs=("output",))
def output_values(s: Observations, r: Observations) -> Verdict:
    """With the reference's weights loaded, TwoLayerMLP(8, 32, 4)(x) equals the reference's output"""
    return compare_values(
        f"{CALLED} with the reference's weights loaded into your model", s["output"], r["output"], diagnose_values(s, r)
    )


@exercise.check(points=2, concept="subclass", needs=("output", "output_again"))
def same_output_twice(s: Observations, r: Observations) -> Verdict:
    """Calling the model twice on the same input gives the same result"""
    if not is_tensor(s["output"]):
        return fail(f"Called {CALLED} twice on the same x: yours returned {describe(s['output'])}, not a tensor.")
    if values_match(s["output_again"], s["output"]):
        return ok(f"Called {CALLED} twice on the same x: both calls gave the same result.")
    return fail(f"Called {CALLED} twice on the same x: your two results differ.", NEW_EACH_CALL)


@exercise.check(points=2, concept="subclass", needs=("output", "trained_output"))
def learns(s: Observations, r: Observations) -> Verdict:
    """One optimizer step changes the model's outputs exactly as it changes the reference's"""

    def diagnosis(yours: torch.Tensor, reference: torch.Tensor) -> str:
        if total_size(s.get("parameters")) == 0:
            return NO_PARAMETERS
        if values_match(yours, s["output"]):
            return "Your outputs did not change at all: the optimizer updated no weight that forward uses."
        return diagnose_values(s, r)(yours, reference)

    return compare_values(
        f"torch.optim.SGD(model.parameters(), lr={LEARNING_RATE}), one step on the MSE loss, then {CALLED}",
        s["trained_output"],
        r["trained_output"],
        diagnosis,
    )


@exercise.check(points=1, concept="subclass", needs=("hidden_parameters",), hidden=True)
def hidden_parameter_count(s: Observations, r: Observations) -> Verdict:
    """TwoLayerMLP with other sizes registers as many parameters as the reference"""
    if total_size(s["hidden_parameters"]) == total_size(r["hidden_parameters"]):
        return ok("With other sizes, your model registers as many parameters as the reference.")
    hint = (
        "Build the layers from the constructor's arguments (in_features, hidden, out_features), not from fixed numbers."
        if total_size(s["parameters"]) == total_size(r["parameters"])
        else "Your parameters are wrong for the public sizes too: see the parameter_count check."
    )
    return fail(
        "Built TwoLayerMLP with other sizes: your model registers a different number of parameters from "
        "the reference's.",
        hint,
    )


@exercise.check(points=2, concept="subclass", needs=("hidden_parameters", "hidden_output"), hidden=True)
def hidden_output_values(s: Observations, r: Observations) -> Verdict:
    """TwoLayerMLP with other sizes equals the reference's on a hidden input"""
    return compare_values(
        "TwoLayerMLP with other sizes and hidden weights, on a hidden input",
        s["hidden_output"],
        r["hidden_output"],
        lambda yours, reference: (
            "Your model is right on the public sizes only: use in_features, hidden and out_features from "
            "the constructor."
            if values_match(s["output"], r["output"])
            else diagnose_values(s, r)(yours, reference)
        ),
        hidden=True,
    )
