"""ex03 — layers kept in ModuleList / Sequential / ModuleDict are registered; a plain list or dict registers nothing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from graders.checks import (
    compare_shapes,
    compare_values,
    count,
    describe,
    is_mapping,
    listed,
    shape_text,
    shapes_listed,
    total_size,
    values_match,
)
from graders.probe import Probe, named_tensors, type_name
from graders.spec import Exercise, Hint, Observations, Verdict, fail, ok

exercise = Exercise(
    id="ex03_containers",
    preload=("torch._dynamo",),  # the probe trains with torch.optim
    title="MultiHeadNet: layers in ModuleList, Sequential and ModuleDict",
    hints=(
        Hint(
            "Build the trunk in a loop, but keep the layers in an `nn.ModuleList` (or an `nn.Sequential`), "
            "and the heads in an `nn.ModuleDict`: a plain Python list or dict registers nothing, so the "
            "model has no parameters to train.",
            checks=("parameter_count", "linear_layers", "learns", "to_float64"),
        ),
        Hint(
            "The first trunk layer is `nn.Linear(in_features, width)`, the other depth - 1 are "
            "`nn.Linear(width, width)`, each a new layer (a list comprehension, not `[layer] * k`). "
            "In forward apply each with a ReLU, then return `{name: head(x) for name, head in self.heads.items()}`.",
            checks=("output_shapes", "output_values", "hidden_parameter_count", "hidden_output_values"),
        ),
        Hint(
            "Do not name an attribute `self.modules`: it hides nn.Module's `modules()` method. Call it "
            "`self.layers` or `self.trunk`.",
            checks=("linear_layers",),
        ),
    ),
    error_hints={
        "'list' object is not callable": (
            "An attribute of yours has the name of an nn.Module method (self.modules, self.children, "
            "self.parameters) and hides it. Give it another name, such as self.layers."
        ),
        "'method' object is not iterable": (
            "`self.modules` is nn.Module's modules() method, not your layers: a container stored as "
            "self.modules cannot be reached under that name. Call it self.layers or self.trunk."
        ),
        "must have the same dtype": (
            "Some layers were not converted by model.to(torch.float64): layers in a plain Python list or "
            "dict are not registered, so .to(), .double() and .cuda() skip them. Use nn.ModuleList, "
            "nn.ModuleDict or nn.Sequential."
        ),
    },
)

IN_FEATURES, WIDTH, DEPTH = 10, 16, 3
HEADS = {"color": 4, "shape": 3, "size": 2}  # sizes differ from each other and from WIDTH and IN_FEATURES
BATCH = 5
LEARNING_RATE = 0.1
BUILT = 'MultiHeadNet(10, 16, 3, {"color": 4, "shape": 3, "size": 2})'
CALLED = "model(x)"
STEP = f"one step of torch.optim.SGD(model.parameters(), lr={LEARNING_RATE}) on the summed MSE of the heads"
HIDDEN_MODELS = 2
NOTHING_REGISTERED = (
    "Layers kept in a plain Python list or dict are not registered: use nn.ModuleList or nn.Sequential "
    "for the trunk and nn.ModuleDict for the heads."
)


# -- probe ---------------------------------------------------------------------------------


def module_types(p: Probe, model: nn.Module) -> list[str]:
    shadowing = vars(model).get("modules")
    if shadowing is not None:
        p.fail(
            "module_types",
            "Probe:Shadowed",
            f"your attribute `modules` (a {type_name(shadowing)}) hides nn.Module's modules() method, so "
            "`model.modules()` fails. Call it self.layers, and make it an nn.ModuleList",
            "listing model.modules()",
        )
    return [type(module).__name__ for module in model.modules()]


def one_step(model: nn.Module, x: torch.Tensor, targets: Mapping[str, torch.Tensor]) -> None:
    """One torch.optim.SGD step on the summed mean squared error of the heads."""
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
    optimizer.zero_grad()
    outputs = model(x)
    sum(F.mse_loss(outputs[name], target) for name, target in targets.items()).backward()
    optimizer.step()


def convert_to_float64(model: nn.Module) -> None:
    model.to(torch.float64)


@exercise.probe
def probe(p: Probe) -> None:
    cls = p.require("MultiHeadNet", type)

    def build() -> nn.Module:
        model = p.call("model", BUILT, cls, IN_FEATURES, WIDTH, DEPTH, dict(HEADS), fatal=True)
        if not isinstance(model, nn.Module):
            p.fail("model", "NotAModule", f"{BUILT} returned a {type_name(model)}, not an nn.Module", BUILT, True)
        return model

    model = build()
    p.observe("parameters", "listing model.named_parameters()", named_tensors, model)
    with p.section():
        p.observe("module_types", "listing model.modules()", module_types, p, model)

    x = p.randn("x", BATCH, IN_FEATURES)
    p.call("weights", "loading the reference's weights into your model", p.fill_parameters, model, by="shape")
    p.observe("output", CALLED, model, x, fatal=True)
    with p.section():
        targets = {name: p.randn(f"target/{name}", BATCH, size) for name, size in HEADS.items()}
        p.call("trained_output", STEP, one_step, model, x, targets)
        p.observe("trained_output", f"{CALLED} after one optimizer step", model, x)
    with p.section():
        fresh = build()
        p.call(
            "float64_output", "loading the reference's weights into your model", p.fill_parameters, fresh, by="shape"
        )
        p.call("float64_output", "model.to(torch.float64)", convert_to_float64, fresh)
        p.observe("float64_output", f"{CALLED} after model.to(torch.float64), with x in float64", fresh, x.double())

    if p.hidden:
        for i in range(HIDDEN_MODELS):
            depth = 1 if i == 0 else p.randint(f"hidden{i}/depth", 4, 6, secret=True)
            in_features = p.randint(f"hidden{i}/in", 2, 12, secret=True)
            width = p.randint(f"hidden{i}/width", 17, 28, secret=True)
            heads = {
                "first": p.randint(f"hidden{i}/first", 2, 4, secret=True),
                "second": p.randint(f"hidden{i}/second", 5, 8, secret=True),
            }
            with p.section():
                called = "MultiHeadNet with another depth, width and heads"
                other = p.call(f"hidden_parameters{i}", called, cls, in_features, width, depth, heads)
                p.observe(f"hidden_parameters{i}", f"listing named_parameters() of {called}", named_tensors, other)
                key = f"hidden_output{i}"
                p.call(key, "loading hidden weights", p.fill_parameters, other, f"hidden-weights{i}", True, by="shape")
                batch = p.randint(f"hidden{i}/batch", 2, 9, secret=True)
                p.observe(
                    key, f"{called}, on a hidden input", other, p.randn(f"hidden{i}/x", batch, in_features, secret=True)
                )


# -- checks --------------------------------------------------------------------------------


def shape_counts(parameters: Mapping[str, torch.Tensor]) -> Counter[tuple[int, ...]]:
    return Counter(tuple(tensor.shape) for tensor in parameters.values())


def counted(n: int, shape: tuple[int, ...]) -> str:
    kind = ("weight matrix", "weight matrices") if len(shape) == 2 else ("bias vector", "bias vectors")
    return f"{n} {kind[n != 1]} of shape {shape_text(shape)}"


TRUNK_TOTAL = IN_FEATURES * WIDTH + WIDTH + (DEPTH - 1) * (WIDTH * WIDTH + WIDTH)
HEADS_TOTAL = sum(WIDTH * n + n for n in HEADS.values())


def diagnose_parameters(yours: Mapping[str, torch.Tensor], reference: Mapping[str, torch.Tensor]) -> str:
    n = total_size(yours)
    if n == 0:
        return "Nothing is registered. " + NOTHING_REGISTERED
    if n == HEADS_TOTAL:
        return (
            "Only the heads are registered: the trunk's layers are in a plain Python list (or a list named "
            "self.modules). Use nn.ModuleList or nn.Sequential."
        )
    if n == TRUNK_TOTAL:
        return "Only the trunk is registered: the heads are in a plain Python dict. Use nn.ModuleDict."
    mine, theirs = shape_counts(yours), shape_counts(reference)
    for shape, expected in sorted(theirs.items(), key=lambda item: -len(item[0])):  # weights first
        if mine[shape] != expected:
            repeated = (
                " If you wrote `[nn.Linear(width, width)] * k`, that is k times the same layer, registered "
                "once: create a new layer for each position."
                if 0 < mine[shape] < expected and len(shape) == 2 and shape[0] == shape[1]
                else ""
            )
            return f"Yours has {counted(mine[shape], shape)}; the reference has {expected}.{repeated}"
    return "Check the sizes of your layers against the docstring."


@exercise.check(points=2, concept="subclass", needs=("parameters",))
def parameter_count(s: Observations, r: Observations) -> Verdict:
    """The model registers 873 parameters: every trunk layer and every head"""
    yours, reference = total_size(s["parameters"]), total_size(r["parameters"])
    if yours == reference:
        return ok(f"{BUILT} registers {count(yours)} parameters, as expected.")
    return fail(
        f"{BUILT} registers {count(yours or 0)} parameters ({shapes_listed(s['parameters'])}); the reference registers "
        f"{count(reference)} ({shapes_listed(r['parameters'])}).",
        diagnose_parameters(s["parameters"], r["parameters"]),
    )


@exercise.check(points=1, concept="subclass", needs=("module_types",))
def linear_layers(s: Observations, r: Observations) -> Verdict:
    """model.modules() yields the 6 Linear layers: 3 in the trunk, one per head"""
    yours = s["module_types"].count("Linear") if isinstance(s["module_types"], list) else 0
    reference = r["module_types"].count("Linear")
    if yours == reference:
        return ok(f"model.modules() yields {yours} Linear layers, as expected.")
    if yours == 0:
        hint = NOTHING_REGISTERED
    elif yours > reference:
        hint = "The trunk has exactly depth Linear layers (the first from in_features to width), plus one per head."
    else:
        hint = (
            "model.modules() yields each registered module once: a layer repeated with `[layer] * k` counts "
            "once, and layers in a plain list or dict not at all."
        )
    return fail(
        f"Listed model.modules(): yours yields {yours} Linear layers among {len(s['module_types'])} modules; "
        f"the reference's yields {reference}.",
        hint,
    )


def compare_heads(
    called: str,
    yours: Any,
    reference: Mapping[str, torch.Tensor],
    compare: Callable[[str, Any, torch.Tensor], Verdict],
    hidden: bool = False,
) -> Verdict:
    """Compare a dict of head outputs with the reference's, head by head."""
    names = listed(reference, None, quote='"')
    if not is_mapping(yours):
        return fail(
            f"Called {called}: yours returned {describe(yours)}; the reference returns a dict with one tensor per "
            f"task ({names}).",
            "Return `{name: head(x) for name, head in self.heads.items()}`.",
        )
    if set(yours) != set(reference):
        return fail(
            f"Called {called}: your dict has the keys {listed(yours, None)}; the reference's has "
            f"{'one per task' if hidden else names}.",
            "The keys are the task names of the heads argument, one per task.",
        )
    for name, tensor in reference.items():
        verdict = compare(called if hidden else called.replace(CALLED, f'{CALLED}["{name}"]', 1), yours[name], tensor)
        if not verdict.passed:
            return verdict
    return ok(f"Called {called}: every head's output matches the reference's.")


@exercise.check(points=1, concept="subclass", needs=("output",))
def output_shapes(s: Observations, r: Observations) -> Verdict:
    """model(x) returns {"color": (5, 4), "shape": (5, 3), "size": (5, 2)} for x of shape (5, 10)"""

    def compare(called: str, yours: Any, reference: torch.Tensor) -> Verdict:
        return compare_shapes(called, yours, reference, hint="Each head maps width features to its task's outputs.")

    return compare_heads(
        f"{CALLED} with x of shape {shape_text((BATCH, IN_FEATURES))}", s["output"], r["output"], compare
    )


def diagnose_values(s: Observations, r: Observations) -> Callable[[torch.Tensor, torch.Tensor], str]:
    def diagnosis(yours: torch.Tensor, reference: torch.Tensor) -> str:
        if total_size(s.get("parameters")) != total_size(r["parameters"]):
            return (
                "Some of your layers are not registered or differ from the reference's, so they did not get the "
                "reference's weights: see the parameter_count check."
            )
        return "Apply a ReLU after every trunk layer, and none after the heads."

    return diagnosis


@exercise.check(points=2, concept="subclass", needs=("output",))
def output_values(s: Observations, r: Observations) -> Verdict:
    """With the reference's weights loaded, every head's output equals the reference's"""
    diagnosis = diagnose_values(s, r)

    def compare(called: str, yours: Any, reference: torch.Tensor) -> Verdict:
        return compare_values(called, yours, reference, diagnosis)

    return compare_heads(f"{CALLED} with the reference's weights loaded", s["output"], r["output"], compare)


@exercise.check(points=2, concept="subclass", needs=("output", "trained_output"))
def learns(s: Observations, r: Observations) -> Verdict:
    """One optimizer step changes every head's output exactly as it changes the reference's"""

    def diagnosis(yours: torch.Tensor, reference: torch.Tensor) -> str:
        if total_size(s["parameters"]) != total_size(r["parameters"]):
            return (
                "The optimizer trains only registered parameters, and yours differ from the reference's. "
                + diagnose_parameters(s["parameters"], r["parameters"])
            )
        return diagnose_values(s, r)(yours, reference)

    def compare(called: str, yours: Any, reference: torch.Tensor) -> Verdict:
        return compare_values(called, yours, reference, diagnosis)

    return compare_heads(f"{STEP}, then {CALLED}", s["trained_output"], r["trained_output"], compare)


@exercise.check(points=2, concept="subclass", needs=("float64_output",))
def to_float64(s: Observations, r: Observations) -> Verdict:
    """model.to(torch.float64) converts every layer: the model then computes in float64"""

    def compare(called: str, yours: Any, reference: torch.Tensor) -> Verdict:
        if isinstance(yours, torch.Tensor) and yours.dtype != reference.dtype:
            dtype = str(yours.dtype).removeprefix("torch.")
            return fail(f"Called {called}: your output is {dtype}; the reference's is float64.")
        return compare_values(called, yours, reference, diagnose_values(s, r))

    return compare_heads(
        f"{CALLED} after model.to(torch.float64), with x in float64", s["float64_output"], r["float64_output"], compare
    )


HIDDEN_KEYS = tuple(f"hidden_parameters{i}" for i in range(HIDDEN_MODELS))


@exercise.check(points=1, concept="subclass", needs=HIDDEN_KEYS, hidden=True)
def hidden_parameter_count(s: Observations, r: Observations) -> Verdict:
    """MultiHeadNet with other depths (1 and more than 3), widths and heads registers the reference's parameters"""
    for key in HIDDEN_KEYS:
        if total_size(s[key]) != total_size(r[key]):
            hint = (
                "Build the layers from the constructor's arguments: depth layers in the trunk (depth may be 1), "
                "one head per entry of heads."
                if total_size(s["parameters"]) == total_size(r["parameters"])
                else "Your parameters are wrong for the public model too: see the parameter_count check."
            )
            return fail(
                "Built MultiHeadNet with another depth, width and heads: your model registers a different number "
                "of parameters from the reference's.",
                hint,
            )
    return ok("With other depths, widths and heads, your model registers as many parameters as the reference.")


@exercise.check(
    points=2,
    concept="subclass",
    needs=(*HIDDEN_KEYS, *(f"hidden_output{i}" for i in range(HIDDEN_MODELS))),
    hidden=True,
)
def hidden_output_values(s: Observations, r: Observations) -> Verdict:
    """MultiHeadNet with other depths, widths and heads equals the reference's on hidden inputs"""

    def diagnosis(yours: torch.Tensor, reference: torch.Tensor) -> str:
        if values_match(s["output"], r["output"]):
            return (
                "Your model is right for the public sizes only: use depth, width and heads from the constructor "
                "(depth may be 1)."
            )
        return diagnose_values(s, r)(yours, reference)

    def compare(called: str, yours: Any, reference: torch.Tensor) -> Verdict:
        return compare_values(called, yours, reference, diagnosis, hidden=True)

    for i in range(HIDDEN_MODELS):
        called = "MultiHeadNet with another depth, width and heads, on a hidden input"
        verdict = compare_heads(called, s[f"hidden_output{i}"], r[f"hidden_output{i}"], compare, hidden=True)
        if not verdict.passed:
            return verdict
    return ok("Your model matches the reference with other depths, widths and heads.")
