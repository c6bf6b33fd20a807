"""ex02 — layers are created once in __init__ and only used in forward; layers made in forward are new every call."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from graders.checks import (
    compare_gradients,
    compare_shape_counts,
    compare_shapes,
    compare_values,
    describe,
    is_mapping,
    is_tensor,
    listed,
    shape_counts,
    shape_text,
    values_match,
)
from graders.i18n import N_, Phrase, _
from graders.probe import Probe, build_module, by_shape, named_tensors
from graders.spec import Claim, Exercise, Hint, Observations, Verdict, fail, numbered, ok

exercise = Exercise(
    id="ex02_init_vs_forward",
    preload=("torch._dynamo",),  # the probe trains with torch.optim
    title=N_("TwoLayerMLP: layers live in __init__"),
    hints=(
        Hint(
            N_(
                "Create both layers in `__init__`, after nn.Module's own `__init__` has run, and store them on "
                "`self` (as two attributes or in one `nn.Sequential`): only what is stored there is registered as the "
                "model's parameters. Size them from the constructor's three arguments."
            ),
            checks=("parameter_count", "hidden_parameter_count"),
        ),
        Hint(
            N_(
                "`forward` only uses the layers made in `__init__`: the first layer, a ReLU on its result, then the "
                "second layer, and nothing after it."
            ),
            checks=("output_shape", "output_values", "hidden_output_values"),
        ),
        Hint(
            N_(
                "Return the second layer's result as it is: `.detach()`, `.data`, a `torch.no_grad()` block or a "
                "tensor rebuilt from numbers cut it off from the weights, and backward() no longer reaches them."
            ),
            checks=("gradients", "hidden_gradients"),
        ),
        Hint(
            N_(
                "Every call must use the same weights, the ones an optimizer trains: nothing in forward may create "
                "a layer or assign to `self`, and nothing in it may be random."
            ),
            checks=("same_output_twice", "learns"),
        ),
        Hint(
            N_(
                "Nothing in your code may depend on the example: not its sizes (8, 32, 4), not its batch of 5, not "
                "the range of its values. Shapes come from the constructor's arguments and from x itself."
            ),
            checks=("hidden_parameter_count", "hidden_output_values", "hidden_gradients"),
        ),
    ),
    error_hints={
        "optimizer got an empty parameter list": (
            N_(
                "Your model has no parameters, so an optimizer has nothing to train and the model cannot learn: "
                "only layers stored on self in __init__ (directly or inside an nn.Sequential) are registered."
            )
        ),
    },
)

SIZES = (8, 32, 4)  # in_features, hidden, out_features: pairwise different, so shapes identify tensors
BATCH = 5
LEARNING_RATE = 0.1
BUILT = "TwoLayerMLP(8, 32, 4)"
CALLED = f"{BUILT}(x)"
PUBLIC_CALL = Phrase(
    N_("{called} with x of shape {shape} and the reference's weights loaded"),
    called=CALLED,
    shape=shape_text((BATCH, SIZES[0])),
)
STEP = Phrase(
    N_("one step of {optimizer} on the MSE loss"), optimizer=f"torch.optim.SGD(model.parameters(), lr={LEARNING_RATE})"
)

NO_PARAMETERS = N_(
    "Your model registers no parameters, so the reference's weights could not be loaded into it and an "
    "optimizer has nothing to train: the layers forward uses are not registered. Only layers stored on self "
    "in __init__ (directly or inside an nn.Sequential) are."
)
REPLACED = N_(
    "After one call, your model's parameters are other tensors than before it: forward assigns new layers to "
    "self, with new random weights, so the weights that were loaded (or trained) are thrown away on every call."
)
RANDOM = N_(
    "Your model's parameters stayed the same, yet two calls on the same x gave different results: forward "
    "uses something that changes from call to call (random numbers, or weights it makes itself)."
)
OTHER_PARAMETERS = N_("Your parameters are not the reference's (see the check on the parameters).")
# forward's slips, recomputed with the student's own parameters (see variants): what each one is.
SLIPS = {
    "no_relu": N_("your two layers without a ReLU between them"),
    "relu_after_last": N_("your two layers with a ReLU after the second one too"),
    "softmax": N_("your two layers with a softmax over the outputs after the second one"),
}


# -- probe ---------------------------------------------------------------------------------


def one_step(model: nn.Module, x: torch.Tensor, target: torch.Tensor) -> None:
    """One torch.optim.SGD step on the mean squared error of model(x) against target."""
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
    optimizer.zero_grad()
    F.mse_loss(model(x), target).backward()
    optimizer.step()


def replaced(before: Mapping[str, torch.Tensor], model: nn.Module) -> bool:
    """Whether the model's parameters are no longer the tensors it had before it was called."""
    now = [id(tensor) for tensor in model.parameters()]
    return now != [id(tensor) for tensor in before.values()]


def variants(parameters: Mapping[str, torch.Tensor], x: torch.Tensor) -> dict[str, torch.Tensor]:
    """forward's usual slips (SLIPS) computed with the student's own parameters, paired by shape;
    none when they do not have the reference's shapes, as then nothing can be recomputed."""
    n_in, hidden, n_out = SIZES
    keyed = by_shape(parameters)
    wanted = [str(shape) for shape in ((hidden, n_in), (hidden,), (n_out, hidden), (n_out,))]
    if sorted(keyed) != sorted(wanted):
        return {}
    w1, b1, w2, b2 = (keyed[key] for key in wanted)
    with torch.no_grad():
        first = F.linear(x, w1, b1)
        return {
            "no_relu": F.linear(first, w2, b2),
            "relu_after_last": F.relu(F.linear(F.relu(first), w2, b2)),
            "softmax": F.softmax(F.linear(F.relu(first), w2, b2), dim=-1),
        }


def backward(
    p: Probe, key: str, called: str | Phrase, output: Any, parameters: Mapping[str, torch.Tensor], x: torch.Tensor
) -> None:
    """``p.backward`` from the output to the parameters (paired by shape) and x; an output with no
    dimensions at all cannot take the upstream gradient, and is reported as what it is."""
    if isinstance(output, torch.Tensor) and output.dim() == 0:
        scalar = _("{called} returned a tensor with no dimensions, a single number").format(called=called)
        p.fail(key, "Probe:Scalar", scalar, called)
    p.backward(key, called, output, by_shape(parameters), {"x": x})


@exercise.probe
def probe(p: Probe) -> None:
    cls = p.require("TwoLayerMLP", type)
    model = build_module(p, "model", BUILT, cls, *SIZES, fatal=True)
    parameters = p.observe("parameters", _("listing model.named_parameters()"), named_tensors, model)

    p.call("weights", _("loading the reference's weights into your model"), p.fill_parameters, model, by="shape")
    x = p.randn("x", BATCH, SIZES[0]).requires_grad_()
    output = p.observe("output", CALLED, model, x, fatal=True)
    with p.section():
        p.observe("replaced", _("listing model.parameters() after the call"), replaced, parameters, model)
    with p.section():
        backward(p, "gradients", CALLED, output, parameters, x)
    with p.section():
        p.observe("variants", _("your own parameters combined other ways"), variants, parameters, x.detach())
    with p.section():
        p.observe("output_again", _("{called} a second time, on the same x").format(called=CALLED), model, x)
    with p.section():
        p.call("weights", _("loading the reference's weights into your model"), p.fill_parameters, model, by="shape")
        target = p.randn("target", BATCH, SIZES[2])
        p.call("trained_output", STEP, one_step, model, x, target)
        p.observe("trained_output", _("{called} after one optimizer step").format(called=CALLED), model, x)

    if p.hidden:
        for i, (called, drawn) in enumerate(HIDDEN_MODELS):
            sizes, batch, scale = draw(p, i, drawn)
            with p.section():
                other = build_module(p, f"hidden_parameters{i}", called, cls, *sizes)
                parameters = p.observe(
                    f"hidden_parameters{i}",
                    _("listing named_parameters() of {called}").format(called=called),
                    named_tensors,
                    other,
                )
                p.call(
                    f"hidden_output{i}",
                    _("loading hidden weights"),
                    p.fill_parameters,
                    other,
                    f"hidden-weights{i}",
                    True,
                    by="shape",
                )
                hidden_x = (p.randn(f"hidden{i}/x", batch, sizes[0], secret=True) * scale).requires_grad_()
                output = p.observe(f"hidden_output{i}", called, other, hidden_x)
                backward(p, f"hidden_gradients{i}", called, output, parameters, hidden_x)


# The models the hidden checks build, each kind under every secret seed: what the check says it called,
# and (in_features, hidden, out_features, batch, scale of the inputs), each fixed or a range to draw from.
HIDDEN_MODELS: tuple[tuple[Phrase, tuple[int | tuple[int, int], ...]], ...] = (
    (Phrase(N_("TwoLayerMLP with another in_features only, on a hidden batch")), ((9, 15), 32, 4, BATCH, 1)),
    (
        Phrase(N_("TwoLayerMLP with other sizes and a single output, on a hidden batch of one sample")),
        ((2, 6), (9, 20), 1, 1, 1),
    ),
    (
        Phrase(N_("TwoLayerMLP with other sizes, on a hidden batch of values far larger than the public ones")),
        ((2, 6), (13, 40), (5, 7), (2, 9), (20, 50)),
    ),
)


def draw(p: Probe, i: int, drawn: tuple[int | tuple[int, int], ...]) -> tuple[tuple[int, int, int], int, float]:
    """The sizes, batch and input scale of hidden model ``i``, drawn from the secret seed."""
    values = [
        value if isinstance(value, int) else p.randint(f"hidden{i}/{field}", *value, secret=True)
        for field, value in zip(("in", "hidden", "out", "batch", "scale"), drawn, strict=True)
    ]
    return (values[0], values[1], values[2]), values[3], float(values[4])


# -- checks --------------------------------------------------------------------------------


def shapes_differ(yours: Any, reference: Mapping[str, torch.Tensor]) -> str:
    """Which shapes one side has and the other lacks, in words."""
    mine, theirs = shape_counts(yours), shape_counts(reference)
    missing, extra = theirs - mine, mine - theirs
    parts = []
    if missing:
        parts.append(
            _("the reference has {shapes}, which yours lacks").format(
                shapes=listed((shape_text(shape) for shape in missing.elements()), None, quote="")
            )
        )
    if extra:
        parts.append(
            _("yours has {shapes}, which the reference's lacks").format(
                shapes=listed((shape_text(shape) for shape in extra.elements()), None, quote="")
            )
        )
    return _("; ").join(parts)


def diagnose_parameters(yours: Any, reference: Mapping[str, torch.Tensor]) -> str:
    """What the shapes of the student's parameters show: none at all, no biases, or which shapes differ."""
    if not shape_counts(yours):
        return _(NO_PARAMETERS)
    missing = shape_counts(reference) - shape_counts(yours)
    if missing and all(len(shape) == 1 for shape in missing) and not shape_counts(yours) - shape_counts(reference):
        return _("Yours has no biases: an nn.Linear has one unless it is made with bias=False.")
    return _("By shape, {difference}. A Linear(a -> b) has a weight of shape (b, a) and a bias of shape (b,).").format(
        difference=shapes_differ(yours, reference)
    )


@exercise.check(points=2, concept="subclass", needs=("parameters",))
def parameter_count(s: Observations, r: Observations) -> Verdict:
    """TwoLayerMLP(8, 32, 4) registers 420 parameters: weights (32, 8) and (4, 32), biases (32,) and (4,)"""
    yours, reference = s["parameters"], r["parameters"]
    return compare_shape_counts(BUILT, yours, reference, diagnose_parameters(yours, reference))


@exercise.check(points=1, concept="forward", needs=("output",))
def output_shape(s: Observations, r: Observations) -> Verdict:
    """TwoLayerMLP(8, 32, 4)(x) has shape (5, 4) for x of shape (5, 8)"""
    same_parameters = shape_counts(s.get("parameters")) == shape_counts(r["parameters"])
    return compare_shapes(
        _("{called} with x of shape {shape}").format(called=CALLED, shape=shape_text((BATCH, SIZES[0]))),
        s["output"],
        r["output"],
        hint=_(
            "Your parameters have the reference's shapes, so the shape changes in forward, after or between the layers."
        )
        if same_parameters
        else _(OTHER_PARAMETERS),
    )


def diagnose(s: Observations, r: Observations) -> Callable[[torch.Tensor, torch.Tensor], str]:
    """What the observations show about wrong values: no parameters, parameters replaced by a call,
    a forward that differs between two calls, other parameters, or one of forward's usual slips
    recognised with the student's own parameters; otherwise only that forward computes something else."""

    def diagnosis(yours: torch.Tensor, reference: torch.Tensor) -> str:
        if not shape_counts(s.get("parameters")):
            return _(NO_PARAMETERS)
        if s.get("replaced") is True:
            return _(REPLACED)
        if "output_again" in s and not values_match(s["output_again"], s["output"]):
            return _(RANDOM)
        if shape_counts(s["parameters"]) != shape_counts(r["parameters"]):
            return _(OTHER_PARAMETERS)
        found = s.get("variants")
        if is_mapping(found):
            for name, value in found.items():
                if name in SLIPS and values_match(yours, value):
                    return _(
                        "With your own parameters, your output is exactly {slip}. forward must compute "
                        "second(relu(first(x))), with first the Linear(in_features -> hidden) and second the "
                        "Linear(hidden -> out_features)."
                    ).format(slip=_(SLIPS[name]))
        return _(
            "Your parameters have the reference's shapes and hold its weights, so the difference comes from "
            "forward: it computes something other than second(relu(first(x)))."
        )

    return diagnosis


@exercise.check(points=3, concept="forward", needs=("output",))
def output_values(s: Observations, r: Observations) -> Verdict:
    """With the reference's weights loaded, TwoLayerMLP(8, 32, 4)(x) equals the reference's output"""
    return compare_values(PUBLIC_CALL, s["output"], r["output"], diagnose(s, r))


@exercise.check(points=2, concept="autograd", needs=("gradients",))
def gradients(s: Observations, r: Observations) -> Verdict:
    """backward() from TwoLayerMLP(8, 32, 4)(x) gives every weight, bias and x the reference's gradient"""
    output_matches = "output" in s and values_match(s["output"], r["output"])
    return compare_gradients(PUBLIC_CALL, s["gradients"], r["gradients"], output_matches=output_matches)


@exercise.check(points=2, concept="subclass", needs=("output", "output_again"))
def same_output_twice(s: Observations, r: Observations) -> Verdict:
    """Calling the model twice on the same input gives the same result"""
    if not is_tensor(s["output"]):
        return fail(
            _("Called {called} twice on the same x: yours returned {what}, not a tensor.").format(
                called=CALLED, what=describe(s["output"])
            )
        )
    if values_match(s["output_again"], s["output"]):
        return ok(_("Called {called} twice on the same x: both calls gave the same result.").format(called=CALLED))
    cause = (
        NO_PARAMETERS if not shape_counts(s.get("parameters")) else REPLACED if s.get("replaced") is True else RANDOM
    )
    return fail(_("Called {called} twice on the same x: your two results differ.").format(called=CALLED), _(cause))


@exercise.check(points=2, concept="parameters", needs=("output", "trained_output"))
def learns(s: Observations, r: Observations) -> Verdict:
    """One optimizer step changes the model's outputs exactly as it changes the reference's"""

    def diagnosis(yours: torch.Tensor, reference: torch.Tensor) -> str:
        if shape_counts(s.get("parameters")) and values_match(yours, s["output"]):
            return _("Your outputs did not change at all: the optimizer updated no weight that forward uses.")
        if not values_match(s["output"], r["output"]):
            return _(
                "Before the step your output already differs from the reference's (see the check on the output's "
                "values), so it differs after the step too. {cause}"
            ).format(cause=diagnose(s, r)(s["output"], r["output"]))
        if "gradients" in s and not values_match(s["gradients"], r["gradients"]):
            return _(
                "Your output was right before the step, but backward() leaves other gradients in your "
                "parameters than in the reference's (see the check on the gradients), so the step changes them "
                "otherwise."
            )
        return _("Your output was right before the step but not after it: the step changed your model otherwise.")

    return compare_values(
        _("{optimizer}, one step on the MSE loss, then {called}").format(
            optimizer=f"torch.optim.SGD(model.parameters(), lr={LEARNING_RATE})", called=CALLED
        ),
        s["trained_output"],
        r["trained_output"],
        diagnosis,
    )


@exercise.check(points=1, concept="subclass", needs=numbered("hidden_parameters", len(HIDDEN_MODELS)), hidden=True)
def hidden_parameter_count(s: Observations, r: Observations) -> Verdict:
    """TwoLayerMLP with other sizes registers parameters of the reference's shapes"""
    hint = (
        _("Build the layers from the constructor's arguments, not from the example's numbers.")
        if shape_counts(s["parameters"]) == shape_counts(r["parameters"])
        else _("Your parameters are wrong for TwoLayerMLP(8, 32, 4) too: see the check on the parameters.")
    )
    for key, (called, _drawn) in zip(numbered("hidden_parameters", len(HIDDEN_MODELS)), HIDDEN_MODELS, strict=True):
        verdict = compare_shape_counts(called, s[key], r[key], hint, hidden=True)
        if not verdict.passed:
            return verdict
    return ok(_("With other sizes, your model registers parameters of the reference's shapes."))


@exercise.check(points=2, concept="forward", needs=numbered("hidden_output", len(HIDDEN_MODELS)), hidden=True)
def hidden_output_values(s: Observations, r: Observations) -> Verdict:
    """TwoLayerMLP with other sizes equals the reference's on hidden batches"""
    for i, (called, _drawn) in enumerate(HIDDEN_MODELS):

        def diagnosis(yours: torch.Tensor, reference: torch.Tensor, i: int = i) -> str | None:
            if shape_counts(s[f"hidden_parameters{i}"]) != shape_counts(r[f"hidden_parameters{i}"]):
                return _("Your parameters for these sizes are not the reference's: see the hidden check on them.")
            if values_match(s["output"], r["output"]):
                return _(
                    "Your model gives the reference's output for the public example, and has the reference's "
                    "parameters here, so forward depends on something of the example that this case changes."
                )
            return None

        verdict = compare_values(called, s[f"hidden_output{i}"], r[f"hidden_output{i}"], diagnosis, hidden=True)
        if not verdict.passed:
            return verdict
    return ok(_("Your model matches the reference with other sizes, batches and ranges of values."))


@exercise.check(
    points=1,
    concept="autograd",
    needs=(*numbered("hidden_output", len(HIDDEN_MODELS)), *numbered("hidden_gradients", len(HIDDEN_MODELS))),
    hidden=True,
)
def hidden_gradients(s: Observations, r: Observations) -> Verdict:
    """backward() gives the reference's gradients with other sizes and hidden batches"""
    for i, (called, _drawn) in enumerate(HIDDEN_MODELS):
        output_matches = values_match(s[f"hidden_output{i}"], r[f"hidden_output{i}"])
        verdict = compare_gradients(
            called, s[f"hidden_gradients{i}"], r[f"hidden_gradients{i}"], hidden=True, output_matches=output_matches
        )
        if not verdict.passed:
            return verdict
    return ok(_("With other sizes and hidden batches, backward() gives every tensor the reference's gradient."))


exercise.claims = (
    Claim(
        "A model's layers are *created once*, in ``__init__``, and stored on ``self``",
        ("parameter_count", "same_output_twice"),
    ),
    Claim("``forward`` only *uses* them.", ("same_output_twice", "output_values")),
    Claim(
        "the weights created in ``__init__`` are registered as the model's parameters",
        ("parameter_count", "gradients", "learns"),
    ),
    Claim(
        "so ``model.parameters()`` hands them to an optimizer, and every call of the model uses the same, trained, "
        "weights",
        ("learns", "same_output_twice"),
    ),
    Claim("Write ``TwoLayerMLP(in_features, hidden, out_features)``, a two-layer perceptron", ("output_values",)),
    Claim(
        "a fully connected layer, an ``nn.Linear``, from ``in_features`` to ``hidden`` features (with bias)",
        ("parameter_count", "hidden_parameter_count"),
    ),
    Claim("a ReLU;", ("output_values",)),
    Claim(
        "an ``nn.Linear`` from ``hidden`` to ``out_features`` features (with bias), with no activation after it.",
        ("parameter_count", "output_values", "hidden_parameter_count"),
    ),
    Claim(
        "``forward(x)`` takes x of shape (N, in_features) and returns shape (N, out_features)",
        ("output_shape", "hidden_output_values"),
    ),
    Claim(
        "still part of the autograd graph: ``backward()`` from it reaches both layers' weights and biases, and x.",
        ("gradients", "hidden_gradients"),
    ),
    Claim(
        "Use the constructor's arguments and assume nothing else of the example",
        ("hidden_parameter_count", "hidden_output_values", "hidden_gradients"),
    ),
    Claim(
        "the grader also builds models of other sizes",
        ("hidden_parameter_count", "hidden_output_values", "hidden_gradients"),
    ),
    Claim("model(torch.zeros(5, 8)).shape torch.Size([5, 4])", ("output_shape",)),
    Claim("sum(p.numel() for p in model.parameters())", ("parameter_count",)),
    Claim("Linear(in_features -> hidden), ReLU, Linear(hidden -> out_features).", ("parameter_count", "output_values")),
    Claim(
        "x has shape (N, in_features); the result has shape (N, out_features).",
        ("output_shape", "hidden_output_values"),
    ),
)
exercise.prose = (
    "Exercise 02 — layers live in ``__init__``, computation in ``forward``.",
    "A layer created inside ``forward``",
    "The class name and the constructor's arguments are fixed; everything else is yours",
)
