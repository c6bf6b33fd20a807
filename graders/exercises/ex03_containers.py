"""ex03 — layers kept in ModuleList / Sequential / ModuleDict are registered; a plain list or dict registers nothing."""

from __future__ import annotations

from collections import Counter
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
    count,
    describe,
    is_mapping,
    listed,
    shape_counts,
    shape_text,
    shapes_listed,
    values_match,
)
from graders.i18n import N_, Phrase, _, ngettext
from graders.probe import Probe, build_module, by_shape, named_tensors, repeated_modules, type_name
from graders.spec import Claim, Exercise, Hint, Observations, Verdict, fail, numbered, ok

exercise = Exercise(
    id="ex03_containers",
    preload=("torch._dynamo",),  # the probe trains with torch.optim
    title=N_("MultiHeadNet: layers in ModuleList, Sequential and ModuleDict"),
    hints=(
        Hint(
            N_(
                "Build the trunk in a loop, but keep the layers in an `nn.ModuleList` (or an `nn.Sequential`), "
                "and the heads in an `nn.ModuleDict`: a plain Python list or dict registers nothing, so the "
                "model has no parameters to train. Make a new layer for each position, as many as depth says."
            ),
            checks=("parameter_count", "linear_layers", "learns", "to_float64", "hidden_parameter_count"),
        ),
        Hint(
            N_(
                "Do not name an attribute `self.modules`: it hides nn.Module's `modules()` method. Call it "
                "`self.layers` or `self.trunk`."
            ),
            checks=("linear_layers",),
        ),
        Hint(
            N_(
                "forward runs x through every trunk layer in turn, each followed by a ReLU, and gives that one result "
                "to every head, with nothing after the heads. Take the number of layers and the heads' names from "
                "the constructor's arguments, never from the example."
            ),
            checks=("output_shapes", "output_values", "gradients", "hidden_output_values", "hidden_gradients"),
        ),
    ),
    error_hints={
        "'list' object is not callable": (
            N_(
                "An attribute of yours has the name of an nn.Module method (self.modules, self.children, "
                "self.parameters) and hides it. Give it another name, such as self.layers."
            )
        ),
        "'method' object is not iterable": (
            N_(
                "`self.modules` is nn.Module's modules() method, not your layers: a container stored as "
                "self.modules cannot be reached under that name. Call it self.layers or self.trunk."
            )
        ),
        "must have the same dtype": (
            N_(
                "Some layers were not converted by model.to(torch.float64): layers in a plain Python list or "
                "dict are not registered, so .to(), .double() and .cuda() skip them. Use nn.ModuleList, "
                "nn.ModuleDict or nn.Sequential."
            )
        ),
    },
)

IN_FEATURES, WIDTH, DEPTH = 10, 16, 3
HEADS = {"color": 4, "shape": 3, "size": 2}  # sizes differ from each other and from WIDTH and IN_FEATURES
BATCH = 5
LEARNING_RATE = 0.1
BUILT = 'MultiHeadNet(10, 16, 3, {"color": 4, "shape": 3, "size": 2})'
CALLED = "model(x)"
PUBLIC_CALL = Phrase(
    N_("{called} with x of shape {shape} and the reference's weights loaded"),
    called=CALLED,
    shape=shape_text((BATCH, IN_FEATURES)),
)
STEP = Phrase(
    N_("one step of {optimizer} on the summed MSE of the heads"),
    optimizer=f"torch.optim.SGD(model.parameters(), lr={LEARNING_RATE})",
)
NOTHING_REGISTERED = N_(
    "Layers kept in a plain Python list or dict are not registered: use nn.ModuleList or nn.Sequential "
    "for the trunk and nn.ModuleDict for the heads."
)
OTHER_PARAMETERS = N_(
    "Your parameters are not the reference's (see the check on the parameters), so the reference's weights "
    "could not all be loaded into them."
)
# forward's slips, recomputed with the student's own parameters (see variants): what each one is.
SLIPS = {
    "no_relu_after_last": N_("your layers without the ReLU after the last trunk layer"),
    "no_relu": N_("your layers without any ReLU in the trunk"),
    "relu_after_heads": N_("your layers with a ReLU after every head too"),
    "first_layers_only": N_("your heads applied to what only the first {layers} of your {depth} trunk layers give"),
}


# -- probe ---------------------------------------------------------------------------------


def module_types(p: Probe, model: nn.Module) -> list[str]:
    """The types of the modules model.modules() yields, once no attribute hides a method of nn.Module."""
    for method in ("modules", "children", "parameters"):
        shadowing = vars(model).get(method)
        if shadowing is not None:
            p.fail(
                "module_types",
                "Probe:Shadowed",
                _(
                    "your attribute `{method}` (a {type}) hides nn.Module's {method}() method, so `model.{method}()` "
                    "fails. Call it self.layers, and make it an nn.ModuleList"
                ).format(method=method, type=type_name(shadowing)),
                _("listing model.{method}()").format(method=method),
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


def shape_key(shape: tuple[int, ...], rank: int) -> str:
    """The key ``by_shape`` gives the ``rank``-th tensor (from 1) of a shape."""
    return str(shape) if rank == 1 else f"{shape} #{rank}"


def variants(parameters: Mapping[str, torch.Tensor], x: torch.Tensor) -> dict[str, dict[str, torch.Tensor]]:
    """forward's usual slips (SLIPS) computed with the student's own parameters, paired by shape;
    none when they do not have the reference's shapes, as then nothing can be recomputed."""
    keyed = by_shape(parameters)
    trunk_keys = [(str((WIDTH, IN_FEATURES)), str((WIDTH,)))]
    trunk_keys += [(shape_key((WIDTH, WIDTH), rank), shape_key((WIDTH,), rank + 1)) for rank in range(1, DEPTH)]
    head_keys = {name: (str((n, WIDTH)), str((n,))) for name, n in HEADS.items()}
    if sorted(keyed) != sorted(key for pair in [*trunk_keys, *head_keys.values()] for key in pair):
        return {}
    trunk = [(keyed[weight], keyed[bias]) for weight, bias in trunk_keys]

    def through(layers: int, relu_last: bool = True, relu_inner: bool = True) -> torch.Tensor:
        h = x
        for position, (weight, bias) in enumerate(trunk[:layers]):
            h = F.linear(h, weight, bias)
            if relu_last if position == layers - 1 else relu_inner:
                h = F.relu(h)
        return h

    def heads(h: torch.Tensor, after: Callable[[torch.Tensor], torch.Tensor] = torch.clone) -> dict[str, torch.Tensor]:
        return {name: after(F.linear(h, keyed[weight], keyed[bias])) for name, (weight, bias) in head_keys.items()}

    with torch.no_grad():
        found = {
            "no_relu_after_last": heads(through(DEPTH, relu_last=False)),
            "no_relu": heads(through(DEPTH, relu_last=False, relu_inner=False)),
            "relu_after_heads": heads(through(DEPTH), F.relu),
        }
        found |= {f"first_layers_only/{layers}": heads(through(layers)) for layers in range(1, DEPTH)}
        return found


def backward(
    p: Probe,
    key: str,
    called: str | Phrase,
    output: Any,
    names: list[str],
    parameters: Mapping[str, torch.Tensor],
    x: Any,
) -> None:
    """``p.backward`` from every head's output at once (flattened and joined in the order of ``names``)
    to the parameters, paired by shape, and x."""
    if not isinstance(output, dict) or not all(isinstance(output.get(name), torch.Tensor) for name in names):
        no_heads = _("{called} gave no tensor for some task, so backward() was not called").format(called=called)
        p.fail(key, "Probe:NoHeads", no_heads, called)
    joined = torch.cat([output[name].reshape(-1) for name in names])
    p.backward(key, called, joined, by_shape(parameters), {"x": x})


@exercise.probe
def probe(p: Probe) -> None:
    cls = p.require("MultiHeadNet", type)
    arguments = (IN_FEATURES, WIDTH, DEPTH, dict(HEADS))
    model = build_module(p, "model", BUILT, cls, *arguments, fatal=True)
    parameters = p.observe("parameters", _("listing model.named_parameters()"), named_tensors, model)
    with p.section():
        p.observe("state_dict", _("listing model.state_dict()"), named_tensors, model, "state_dict")
    with p.section():
        p.observe("module_types", _("listing model.modules()"), module_types, p, model)
    with p.section():
        p.observe("repeated", _("listing model.named_modules(remove_duplicate=False)"), repeated_modules, model)

    x = p.randn("x", BATCH, IN_FEATURES).requires_grad_()
    p.call("weights", _("loading the reference's weights into your model"), p.fill_parameters, model, by="shape")
    output = p.observe("output", CALLED, model, x, fatal=True)
    with p.section():
        backward(p, "gradients", CALLED, output, list(HEADS), parameters, x)
    with p.section():
        p.observe("variants", _("your own parameters combined other ways"), variants, parameters, x.detach())
    with p.section():
        targets = {name: p.randn(f"target/{name}", BATCH, size) for name, size in HEADS.items()}
        p.call("trained_output", STEP, one_step, model, x.detach(), targets)
        p.observe("trained_output", _("{called} after one optimizer step").format(called=CALLED), model, x.detach())
    with p.section():
        fresh = build_module(p, "float64_output", BUILT, cls, *arguments)
        p.call(
            "float64_output", _("loading the reference's weights into your model"), p.fill_parameters, fresh, by="shape"
        )
        p.call("float64_output", "model.to(torch.float64)", convert_to_float64, fresh)
        p.observe(
            "float64_output",
            _("{called} after model.to(torch.float64), with x in float64").format(called=CALLED),
            fresh,
            x.detach().double(),
        )

    if p.hidden:
        for i, (called, drawn) in enumerate(HIDDEN_MODELS):
            in_features, width, depth, heads = drawn(p, i)
            with p.section():
                other = build_module(p, f"hidden_parameters{i}", called, cls, in_features, width, depth, heads)
                parameters = p.observe(
                    f"hidden_parameters{i}",
                    _("listing named_parameters() of {called}").format(called=called),
                    named_tensors,
                    other,
                )
                key = f"hidden_output{i}"
                p.call(
                    key, _("loading hidden weights"), p.fill_parameters, other, f"hidden-weights{i}", True, by="shape"
                )
                batch = p.randint(f"hidden{i}/batch", 2, 9, secret=True)
                hidden_x = p.randn(f"hidden{i}/x", batch, in_features, secret=True).requires_grad_()
                output = p.observe(key, _("{called}, on a hidden batch").format(called=called), other, hidden_x)
                backward(
                    p,
                    f"hidden_gradients{i}",
                    _("{called}, on a hidden batch").format(called=called),
                    output,
                    list(heads),
                    parameters,
                    hidden_x,
                )


# Task names for the hidden models' heads: valid nn.ModuleDict keys that are not the example's.
HEAD_NAMES = ("species", "age", "mood", "habitat", "diet", "origin", "gait", "coat")


def shallow_single_head(p: Probe, i: int) -> tuple[int, int, int, dict[str, int]]:
    """Depth 1 and a single head: in_features, width, depth, heads."""
    name = p.choice(f"hidden{i}/name", HEAD_NAMES, secret=True)
    in_features, width = (
        p.randint(f"hidden{i}/in", 2, 12, secret=True),
        p.randint(f"hidden{i}/width", 17, 28, secret=True),
    )
    return in_features, width, 1, {name: p.randint(f"hidden{i}/outputs", 1, 4, secret=True)}


def deep_four_heads(p: Probe, i: int) -> tuple[int, int, int, dict[str, int]]:
    """Depth 4 to 6 and four heads given in reverse alphabetical order, of 1-2, 3-4, 5-6 and 7-8 outputs
    (all narrower than the width, so that shapes tell every tensor apart)."""
    start = p.randint(f"hidden{i}/names", 0, len(HEAD_NAMES) - 1, secret=True)
    names = sorted((HEAD_NAMES[(start + 2 * k) % len(HEAD_NAMES)] for k in range(4)), reverse=True)
    heads = {name: 2 * k + 1 + p.randint(f"hidden{i}/outputs{k}", 0, 1, secret=True) for k, name in enumerate(names)}
    in_features, width = (
        p.randint(f"hidden{i}/in", 2, 8, secret=True),
        p.randint(f"hidden{i}/width", 9, 14, secret=True),
    )
    return in_features, width, p.randint(f"hidden{i}/depth", 4, 6, secret=True), heads


# The models the hidden checks build, each kind under every secret seed: what the check says it called,
# and how its arguments are drawn.
HIDDEN_MODELS: tuple[tuple[Phrase, Callable[[Probe, int], tuple[int, int, int, dict[str, int]]]], ...] = (
    (Phrase(N_("MultiHeadNet of depth 1 with a single head")), shallow_single_head),
    (Phrase(N_("a deeper MultiHeadNet with four heads named otherwise and given in any order")), deep_four_heads),
)


# -- checks --------------------------------------------------------------------------------


def counted(n: int, shape: tuple[int, ...]) -> str:
    if len(shape) == 2:
        text = ngettext("{n} weight matrix of shape {shape}", "{n} weight matrices of shape {shape}", n)
    else:
        text = ngettext("{n} bias vector of shape {shape}", "{n} bias vectors of shape {shape}", n)
    return text.format(n=n, shape=shape_text(shape))


TRUNK_SHAPES = Counter({(WIDTH, IN_FEATURES): 1, (WIDTH, WIDTH): DEPTH - 1, (WIDTH,): DEPTH})
HEAD_SHAPES = Counter({shape: 1 for n in HEADS.values() for shape in ((n, WIDTH), (n,))})


def diagnose_parameters(s: Observations, r: Observations) -> str:
    """What the observed parameters show: none, the heads' or the trunk's alone, a layer object
    registered in several places, or the shapes that differ."""
    mine, theirs = shape_counts(s["parameters"]), shape_counts(r["parameters"])
    repeated = s.get("repeated")
    if not mine:
        return _("Nothing is registered. {rule}").format(rule=_(NOTHING_REGISTERED))
    if mine == HEAD_SHAPES:
        return _(
            "Exactly the heads' parameters are registered, none of the trunk's: whatever holds the trunk's layers "
            "is not an nn.Module container. Use nn.ModuleList or nn.Sequential."
        )
    if mine == TRUNK_SHAPES:
        return _(
            "Exactly the trunk's parameters are registered, none of the heads': whatever holds the heads is not an "
            "nn.Module container. Use nn.ModuleDict."
        )
    if is_mapping(repeated) and repeated:
        pairs = listed((f"{name} = {original}" for name, original in repeated.items()), quote="`")
        return _(
            "Some of your layers are one and the same object, registered under several names ({pairs}), so they "
            "share their weights and count once: `[layer] * k` repeats one layer k times. Make a new layer for "
            "each position."
        ).format(pairs=pairs)
    for shape, expected in sorted(theirs.items(), key=lambda item: -len(item[0])):  # weights first
        if mine[shape] != expected:
            return _("Yours has {yours}; the reference has {reference}.").format(
                yours=counted(mine[shape], shape), reference=expected
            )
    extra = mine - theirs
    return _("Yours also has {extra}, which the reference has not.").format(
        extra=listed((shape_text(shape) for shape in extra.elements()), None, quote="")
    )


@exercise.check(points=2, concept="subclass", needs=("parameters", "state_dict"))
def parameter_count(s: Observations, r: Observations) -> Verdict:
    """The model registers 873 parameters, in parameters() and state_dict(): every trunk layer and every head"""
    yours, reference = s["parameters"], r["parameters"]
    verdict = compare_shape_counts(BUILT, yours, reference, diagnose_parameters(s, r))
    if verdict.passed and shape_counts(s["state_dict"]) != shape_counts(r["state_dict"]):
        return fail(
            _("{built}.state_dict() holds {yours}; the reference's holds {reference}.").format(
                built=BUILT, yours=shapes_listed(s["state_dict"]), reference=shapes_listed(r["state_dict"])
            )
        )
    return verdict


@exercise.check(points=1, concept="tree", needs=("module_types",))
def linear_layers(s: Observations, r: Observations) -> Verdict:
    """model.modules() yields the 6 Linear layers: 3 in the trunk, one per head"""
    yours = s["module_types"].count("Linear") if isinstance(s["module_types"], list) else 0
    reference = r["module_types"].count("Linear")
    if yours == reference:
        return ok(_("model.modules() yields {count} Linear layers, as expected.").format(count=yours))
    message = _(
        "Listed model.modules(): yours yields {yours} Linear layers among {modules} modules; the reference's yields "
        "{reference}."
    ).format(yours=yours, modules=len(s["module_types"]), reference=reference)
    repeated = s.get("repeated")
    if yours == 0:
        return fail(message, _(NOTHING_REGISTERED))
    if yours > reference:
        return fail(message, _("The trunk has exactly depth Linear layers, plus one Linear per head."))
    if is_mapping(repeated) and repeated:
        return fail(
            message,
            _(
                "model.modules() yields each module object once, and some of your layers are one object: {pairs}."
            ).format(pairs=listed((f"{name} = {original}" for name, original in repeated.items()), quote="`")),
        )
    return fail(message, _("Some of your layers are not registered (see the check on the parameters)."))


def compare_heads(
    called: str | Phrase,
    yours: Any,
    reference: Mapping[str, torch.Tensor],
    compare: Callable[[str, Any, torch.Tensor], Verdict],
    hidden: bool = False,
) -> Verdict:
    """Compare a dict of head outputs with the reference's, head by head."""
    names = listed(reference, None, quote='"')
    if not is_mapping(yours):
        return fail(
            _(
                "Called {called}: yours returned {what}; the reference returns a dict with one tensor per task "
                "({names})."
            ).format(called=called, what=describe(yours), names=_("one per task") if hidden else names),
            _("forward returns a dict: each task's name, as the heads argument gives it, with its head's output."),
        )
    if set(yours) != set(reference):
        return fail(
            _("Called {called}: your dict has the keys {yours}; the reference's has {reference}.").format(
                called=called,
                yours=listed(yours, None, quote='"') if not hidden else count(len(yours)),
                reference=_("one per task") if hidden else names,
            ),
            _("The keys are the task names of the heads argument, one per task."),
        )
    for name, tensor in reference.items():
        verdict = compare(
            called if hidden else str(called).replace(CALLED, f'{CALLED}["{name}"]', 1), yours[name], tensor
        )
        if not verdict.passed:
            return verdict
    return ok(_("Called {called}: every head's output matches the reference's.").format(called=called))


@exercise.check(points=1, concept="forward", needs=("output",))
def output_shapes(s: Observations, r: Observations) -> Verdict:
    """model(x) returns {"color": (5, 4), "shape": (5, 3), "size": (5, 2)} for x of shape (5, 10)"""
    same_parameters = shape_counts(s["parameters"]) == shape_counts(r["parameters"])
    hint = (
        _("Your parameters have the reference's shapes, so the shape changes in forward, after or between the layers.")
        if same_parameters
        else _(OTHER_PARAMETERS)
    )

    def compare(called: str | Phrase, yours: Any, reference: torch.Tensor) -> Verdict:
        return compare_shapes(called, yours, reference, hint=hint)

    return compare_heads(
        _("{called} with x of shape {shape}").format(called=CALLED, shape=shape_text((BATCH, IN_FEATURES))),
        s["output"],
        r["output"],
        compare,
    )


def slip(s: Observations, output: Any) -> str | None:
    """Which of forward's usual slips, recomputed with the student's own parameters, the output is."""
    found = s.get("variants")
    if not is_mapping(found) or not is_mapping(output):
        return None
    for name, value in found.items():
        if values_match(output, value):
            kind, _sep, layers = name.partition("/")
            return _(SLIPS[kind]).format(layers=layers, depth=DEPTH)
    return None


def diagnose_values(s: Observations, r: Observations) -> Callable[[torch.Tensor, torch.Tensor], str]:
    """What the observations show about wrong values: other parameters, or one of forward's usual
    slips recognised with the student's own parameters; otherwise only that forward computes something else."""

    def diagnosis(yours: torch.Tensor, reference: torch.Tensor) -> str:
        if shape_counts(s.get("parameters")) != shape_counts(r["parameters"]):
            return _(OTHER_PARAMETERS)
        found = slip(s, s["output"])
        if found:
            return _(
                "With your own parameters, your outputs are exactly {slip}. forward must run x through every "
                "trunk layer, each followed by a ReLU, and give the result to every head as it is."
            ).format(slip=found)
        return _(
            "Your parameters have the reference's shapes and hold its weights, so the difference comes from "
            "forward: it computes something other than head(trunk(x)) for some head."
        )

    return diagnosis


@exercise.check(points=2, concept="forward", needs=("output",))
def output_values(s: Observations, r: Observations) -> Verdict:
    """With the reference's weights loaded, every head's output equals the reference's"""
    diagnosis = diagnose_values(s, r)

    def compare(called: str | Phrase, yours: Any, reference: torch.Tensor) -> Verdict:
        return compare_values(called, yours, reference, diagnosis)

    return compare_heads(PUBLIC_CALL, s["output"], r["output"], compare)


def outputs_match(s: Observations, r: Observations, key: str) -> bool:
    return is_mapping(s.get(key)) and s[key].keys() == r[key].keys() and values_match(s[key], r[key])


@exercise.check(points=2, concept="autograd", needs=("gradients",))
def gradients(s: Observations, r: Observations) -> Verdict:
    """backward() from every head's output gives every weight, bias and x the reference's gradient"""
    called = _("{called}, every head's output").format(called=PUBLIC_CALL)
    return compare_gradients(called, s["gradients"], r["gradients"], output_matches=outputs_match(s, r, "output"))


@exercise.check(points=2, concept="parameters", needs=("output", "trained_output"))
def learns(s: Observations, r: Observations) -> Verdict:
    """One optimizer step changes every head's output exactly as it changes the reference's"""

    def diagnosis(yours: torch.Tensor, reference: torch.Tensor) -> str:
        if shape_counts(s["parameters"]) != shape_counts(r["parameters"]):
            return _(
                "The optimizer trains only registered parameters, and yours differ from the reference's. {cause}"
            ).format(cause=diagnose_parameters(s, r))
        if not outputs_match(s, r, "output"):
            return _(
                "Before the step your outputs already differ from the reference's (see the check on the outputs' "
                "values), so they differ after the step too."
            )
        if "gradients" in s and not values_match(s["gradients"], r["gradients"]):
            return _(
                "Your outputs were right before the step, but backward() leaves other gradients in your "
                "parameters than in the reference's (see the check on the gradients), so the step changes them "
                "otherwise."
            )
        return _("Your outputs were right before the step but not after it: the step changed your model otherwise.")

    def compare(called: str | Phrase, yours: Any, reference: torch.Tensor) -> Verdict:
        return compare_values(called, yours, reference, diagnosis)

    return compare_heads(
        _("{step}, then {called}").format(step=STEP, called=CALLED), s["trained_output"], r["trained_output"], compare
    )


@exercise.check(points=2, concept="parameters", needs=("float64_output",))
def to_float64(s: Observations, r: Observations) -> Verdict:
    """model.to(torch.float64) converts every layer: the model then computes in float64"""

    def compare(called: str | Phrase, yours: Any, reference: torch.Tensor) -> Verdict:
        if isinstance(yours, torch.Tensor) and yours.dtype != reference.dtype:
            return fail(
                _(
                    "Called {called}: your output is {dtype}; the reference's is float64. model.to() converts every "
                    "registered tensor, so something forward uses was not converted."
                ).format(called=called, dtype=str(yours.dtype).removeprefix("torch.")),
                _(NOTHING_REGISTERED) if shape_counts(s["parameters"]) != shape_counts(r["parameters"]) else None,
            )
        return compare_values(called, yours, reference, diagnose_values(s, r))

    return compare_heads(
        _("{called} after model.to(torch.float64), with x in float64").format(called=CALLED),
        s["float64_output"],
        r["float64_output"],
        compare,
    )


@exercise.check(points=1, concept="subclass", needs=numbered("hidden_parameters", len(HIDDEN_MODELS)), hidden=True)
def hidden_parameter_count(s: Observations, r: Observations) -> Verdict:
    """MultiHeadNet of depth 1, and deeper with other heads, registers parameters of the reference's shapes"""
    hint = (
        _(
            "Your parameters are right for the example, not here: build the layers from the constructor's "
            "arguments, depth layers in the trunk (depth may be 1) and one head per entry of heads."
        )
        if shape_counts(s["parameters"]) == shape_counts(r["parameters"])
        else _("Your parameters are wrong for the public example too: see the check on the parameters.")
    )
    for key, (called, _drawn) in zip(numbered("hidden_parameters", len(HIDDEN_MODELS)), HIDDEN_MODELS, strict=True):
        verdict = compare_shape_counts(called, s[key], r[key], hint, hidden=True)
        if not verdict.passed:
            return verdict
    return ok(_("With other depths, widths and heads, your model registers parameters of the reference's shapes."))


@exercise.check(points=2, concept="forward", needs=numbered("hidden_output", len(HIDDEN_MODELS)), hidden=True)
def hidden_output_values(s: Observations, r: Observations) -> Verdict:
    """MultiHeadNet of depth 1, and deeper with other heads, equals the reference's on hidden batches"""
    for i, (called, _drawn) in enumerate(HIDDEN_MODELS):

        def diagnosis(yours: torch.Tensor, reference: torch.Tensor, i: int = i) -> str | None:
            if shape_counts(s[f"hidden_parameters{i}"]) != shape_counts(r[f"hidden_parameters{i}"]):
                return _("Your parameters for this model are not the reference's: see the hidden check on them.")
            if outputs_match(s, r, "output"):
                return _(
                    "Your model gives the reference's outputs for the public example, and has the reference's "
                    "parameters here, so forward depends on something of the example that this model changes."
                )
            return None

        def compare(called: str | Phrase, yours: Any, reference: torch.Tensor, diagnosis: Any = diagnosis) -> Verdict:
            return compare_values(called, yours, reference, diagnosis, hidden=True)

        called = _("{model}, on a hidden batch").format(model=called)
        verdict = compare_heads(called, s[f"hidden_output{i}"], r[f"hidden_output{i}"], compare, hidden=True)
        if not verdict.passed:
            return verdict
    return ok(_("Your model matches the reference with depth 1, and deeper with other heads."))


@exercise.check(
    points=1,
    concept="autograd",
    needs=(*numbered("hidden_output", len(HIDDEN_MODELS)), *numbered("hidden_gradients", len(HIDDEN_MODELS))),
    hidden=True,
)
def hidden_gradients(s: Observations, r: Observations) -> Verdict:
    """backward() gives the reference's gradients with depth 1, and deeper with other heads"""
    for i, (called, _drawn) in enumerate(HIDDEN_MODELS):
        verdict = compare_gradients(
            _("{model}, on a hidden batch").format(model=called),
            s[f"hidden_gradients{i}"],
            r[f"hidden_gradients{i}"],
            hidden=True,
            output_matches=outputs_match(s, r, f"hidden_output{i}"),
        )
        if not verdict.passed:
            return verdict
    return ok(_("With depth 1, and deeper with other heads, backward() gives every tensor the reference's gradient."))


exercise.claims = (
    Claim(
        "Use PyTorch's containers, never a plain Python list or dict",
        ("parameter_count", "linear_layers", "learns", "to_float64"),
    ),
    Claim("so assigning one to ``self`` registers every module inside it", ("parameter_count", "linear_layers")),
    Claim("their weights appear in ``parameters()`` and ``state_dict()``", ("parameter_count",)),
    Claim("an optimizer trains them, and ``.to(...)`` moves them.", ("learns", "to_float64")),
    Claim(
        "Write ``MultiHeadNet(in_features, width, depth, heads)``: a shared trunk with one output head per task",
        ("parameter_count", "output_values", "gradients"),
    ),
    Claim(
        "The trunk has ``depth`` (≥ 1) blocks of Linear then ReLU",
        ("parameter_count", "linear_layers", "output_values", "hidden_parameter_count", "hidden_output_values"),
    ),
    Claim(
        "for each task there is one ``Linear(width, n)`` (no activation after it).",
        ("parameter_count", "output_shapes", "output_values", "hidden_output_values"),
    ),
    Claim(
        "returns a dict with one entry per task: ``{name: head(trunk(x))}``, each of shape (N, n).",
        ("output_shapes", "output_values", "hidden_output_values"),
    ),
    Claim("Every Linear has a bias.", ("parameter_count",)),
    Claim("Build every layer in ``__init__``, and a new layer for each position", ("parameter_count", "linear_layers")),
    Claim(
        "The outputs stay part of the autograd graph: ``backward()`` from them reaches every trunk layer, every head "
        "and x.",
        ("gradients", "hidden_gradients"),
    ),
    Claim(
        "Use the constructor's arguments, not the example's",
        ("hidden_parameter_count", "hidden_output_values", "hidden_gradients"),
    ),
    Claim(
        "the grader also builds networks of depth 1 and deeper ones, with a single head or several, named otherwise "
        "and given in any order.",
        ("hidden_parameter_count", "hidden_output_values", "hidden_gradients"),
    ),
    Claim("{name: out.shape for name, out in model(torch.zeros(5, 10)).items()}", ("output_shapes",)),
    Claim("sum(p.numel() for p in model.parameters())", ("parameter_count",)),
    Claim("sum(isinstance(m, nn.Linear) for m in model.modules())", ("linear_layers",)),
    Claim("One name is taken: do not call an attribute ``self.modules``", ("linear_layers", "learns")),
    Claim(
        "A trunk of ``depth`` Linear+ReLU blocks shared by one Linear head per task.",
        ("parameter_count", "output_values"),
    ),
    Claim(
        "x has shape (N, in_features); returns {task name: tensor of shape (N, outputs of that task)}.",
        ("output_shapes", "hidden_output_values"),
    ),
)
exercise.prose = (
    "Exercise 03 — containers: a network whose depth is a parameter.",
    "When the number of layers is only known at run time",
    "``nn.ModuleList([...])``: a list of modules",
    "``nn.Sequential(...)``: modules applied one after another",
    "``nn.ModuleDict({...})``: modules by name",
    "A plain list or dict registers *nothing*",
    "The class name and the constructor's arguments are fixed; which containers you use, and their names, are yours.",
    "A correction to the lecture",
    "It yields every module in the tree, depth first",
    "That is why the example above filters it.",
)
