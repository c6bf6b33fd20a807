"""ex07 — parameters vs buffers vs plain tensors: a Standardize layer, and counting parameters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from graders.checks import (
    compare_gradients,
    compare_values,
    count,
    describe,
    is_mapping,
    listed,
    recognised,
    shape_text,
    values_match,
)
from graders.i18n import N_, Phrase, _
from graders.probe import Probe, build_module, type_name
from graders.spec import Claim, Exercise, Hint, Observations, Verdict, fail, ok

exercise = Exercise(
    id="ex07_params_and_buffers",
    title=N_("Parameters, buffers and plain tensors"),
    hints=(
        Hint(
            N_(
                "In __init__, once nn.Module's own __init__ has run: register a copy of mean and a copy of std as "
                "buffers under those names, and make weight and bias nn.Parameters of mean's shape, ones and zeros."
            ),
            checks=("parameters", "buffers", "state_dict", "follows_to"),
        ),
        Hint(
            N_(
                "A plain tensor attribute is invisible to nn.Module: not in state_dict(), not converted by .to() or "
                ".double(). A tensor with requires_grad=True is still not a parameter: only nn.Parameter registers "
                "one, "
                "and only register_buffer registers a buffer."
            ),
            checks=("parameters", "buffers", "state_dict", "follows_to"),
        ),
        Hint(
            N_(
                "forward computes the formula, feature by feature, with the mean, std, weight and bias stored on the "
                "layer and nothing else: no statistics of the batch, and nothing that cuts the graph (.data, "
                ".detach(), torch.no_grad()), so that backward() reaches weight, bias and x."
            ),
            checks=("forward_values", "gradients", "hidden_forward", "hidden_gradients"),
        ),
        Hint(
            N_(
                "Add up numel() over model.parameters(): it yields each parameter once, tied ones too, frozen ones "
                "included, and no buffers. state_dict() holds the buffers as well and lists a tied weight under each "
                "of "
                "its names."
            ),
            checks=("count_parameters", "hidden_count_parameters"),
        ),
    ),
    error_hints={
        "already exists": (
            N_(
                "register_buffer creates the attribute itself: do not assign `self.mean = ...` before registering the "
                "buffer."
            )
        ),
        "cannot assign 'torch.FloatTensor' as parameter": (
            N_(
                "`self.weight` is already an nn.Parameter; assign a new nn.Parameter, or change its values in place "
                "under torch.no_grad()."
            )
        ),
        "'list' object has no attribute 'numel'": N_("Call .numel() on each parameter, not on the list of them."),
    },
)

FEATURES, BATCH = 5, 4
NAMES = ("weight", "bias", "mean", "std")
CALLED = "Standardize(mean, std)"
PUBLIC_CALL = Phrase(
    N_("{called} with x of shape {shape} and the reference's weight and bias loaded"),
    called="layer(x)",
    shape=(BATCH, FEATURES),
)
HIDDEN_CALL = Phrase(N_("{called} and layer(x) with a hidden number of features and batch size"), called=CALLED)
COUNT_MODEL_TEXT = "nn.Sequential(nn.Linear(6, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 3))"
HIDDEN_COUNT = N_(
    "count_parameters(model) on hidden models (a weight tied between two layers, a module shared by two "
    "Sequentials, BatchNorm buffers, a frozen layer, a parameter on the root, a Sequential inside an "
    "nn.ModuleDict)"
)


def count_model() -> nn.Module:
    return nn.Sequential(nn.Linear(6, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 3))


# -- what the probe observes ------------------------------------------------------------------


def count_facts(model: nn.Module) -> dict[str, int]:
    """The usual wrong counts of a model's parameters, for recognising a wrong answer."""
    state = model.state_dict()
    return {
        "state_dict": sum(t.numel() for t in state.values()),
        "with_duplicates": sum(t.numel() for _name, t in model.named_parameters(remove_duplicate=False)),
        "own_per_module": sum(t.numel() for m in model.modules() for t in m.parameters(recurse=False)),
        "every_module": sum(t.numel() for m in model.modules() for t in m.parameters()),
        "children": sum(t.numel() for child in model.children() for t in child.parameters()),
        "frozen": sum(t.numel() for t in model.parameters() if not t.requires_grad),
        "buffers": sum(b.numel() for b in model.buffers()),
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
    return build_module(p, key, CALLED, cls, mean.clone(), std.clone())


def load_affine(p: Probe, key: str, layer: nn.Module, values: dict[str, torch.Tensor], hidden: bool) -> None:
    """Copy the reference's weight and bias into the student's layer, once they are seen to fit: a
    copy into a tensor of another shape would fail in the grader's own code, and is reported as what
    it is (hidden: without the hidden number of features)."""
    called = _("loading the reference's weight and bias into your layer")
    for name, value in values.items():
        mine = getattr(layer, name, None)
        if not isinstance(mine, torch.Tensor):
            wrong = _("your layer.{name} is {what}, not a tensor").format(name=name, what=describe(mine))
            p.fail(key, "Probe:NotATensor", wrong, called)
        if mine.shape != value.shape:
            if hidden:
                wrong = _(
                    "your layer.{name} has another shape than the mean it was built with, so the reference's cannot "
                    "be loaded"
                ).format(name=name)
            else:
                wrong = _(
                    "your layer.{name} has shape {yours}; the reference's has shape {reference}, so the reference's "
                    "cannot be loaded"
                ).format(name=name, yours=shape_text(mine.shape), reference=shape_text(value.shape))
            p.fail(key, "Probe:WrongShape", wrong, called)
    with torch.no_grad():
        for name, value in values.items():
            getattr(layer, name).copy_(value)


def within_graph(leaf: torch.Tensor) -> torch.Tensor:
    """The input as a layer inside a network gets it: computed from a tensor that requires grad (here
    a copy of ``leaf``), so that forward may change it in place, as it could there."""
    return leaf.clone()


def statistics(p: Probe, name: str, features: int, secret: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
    mean = p.randn(f"{name}/mean", features, secret=secret)
    std = p.randn(f"{name}/std", features, secret=secret).abs() + 0.5
    return mean, std


# Other formulas a forward might compute, from the same mean, std, weight, bias and x: a wrong output
# is recognised as one of them, never guessed at.
VARIANTS: dict[str, Callable[..., torch.Tensor]] = {
    "(x - mean) / std": lambda x, mean, std, weight, bias: (x - mean) / std,
    "x * weight + bias": lambda x, mean, std, weight, bias: x * weight + bias,
    "(x - mean) / std * weight": lambda x, mean, std, weight, bias: (x - mean) / std * weight,
    "x - mean / std * weight + bias": lambda x, mean, std, weight, bias: x - mean / std * weight + bias,
    "(x - mean) * std * weight + bias": lambda x, mean, std, weight, bias: (x - mean) * std * weight + bias,
    "((x - mean) * weight + bias) / std": lambda x, mean, std, weight, bias: ((x - mean) * weight + bias) / std,
    "(x - x.mean(0)) / x.std(0) * weight + bias": lambda x, mean, std, weight, bias: (
        (x - x.mean(0)) / x.std(0) * weight + bias
    ),
}
VARIANT_MEANING = {
    "(x - mean) / std": N_("weight and bias play no part in it"),
    "x * weight + bias": N_("mean and std play no part in it: the input is not standardised"),
    "(x - mean) / std * weight": N_("bias plays no part in it"),
    "x - mean / std * weight + bias": N_(
        "without parentheses around x - mean, only mean is divided by std and scaled by weight"
    ),
    "(x - mean) * std * weight + bias": N_("it multiplies by std where the formula divides"),
    "((x - mean) * weight + bias) / std": N_("it divides by std after scaling and shifting, not before"),
    "(x - x.mean(0)) / x.std(0) * weight + bias": N_(
        "it standardises with the batch's own statistics, not with the mean and std given to the constructor"
    ),
}


@exercise.probe
def probe(p: Probe) -> None:
    mean, std = statistics(p, "public", FEATURES)
    x = p.randn("x", BATCH, FEATURES)
    affine = {"weight": p.randn("weight", FEATURES), "bias": p.randn("bias", FEATURES)}
    p.record("count_facts", count_facts(count_model()))
    with torch.no_grad():
        p.record("variants", {name: formula(x, mean, std, **affine) for name, formula in VARIANTS.items()})

    with p.section():
        layer = build(p, "registered", mean, std)
        p.record(
            "kinds",
            p.call(
                "registered",
                _("looking at your layer's attributes"),
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
        p.call("output", _("loading the reference's weight and bias"), load_affine, p, "output", layer, affine, False)
        inputs = x.clone().requires_grad_()
        output = p.observe("output", "layer(x)", layer, within_graph(inputs))
        tensors = p.call("gradients", _("layer.weight and layer.bias"), lambda: {n: getattr(layer, n) for n in affine})
        p.backward("gradients", "layer(x)", output, tensors, {"x": inputs})

    with p.section():
        layer = build(p, "state_dict", mean, std)
        p.call("state_dict", _("giving your layer's tensors other values"), p.fill_parameters, layer, "saved")
        p.observe("saved_output", "layer(x)", layer, x.clone())
        state = p.call("state_dict", "layer.state_dict()", layer.state_dict)
        p.record("state_dict", [str(key) for key in state])
        fresh = build(p, "roundtrip", torch.zeros(FEATURES), torch.ones(FEATURES))
        p.call(
            "roundtrip", "Standardize(zeros, ones).load_state_dict(layer.state_dict())", fresh.load_state_dict, state
        )
        p.observe("roundtrip", _("the reloaded layer(x)"), fresh, x.clone())

    with p.section():
        layer = build(p, "converted", mean, std)
        p.call("converted", "layer.to(torch.float64)", layer.to, torch.float64)
        p.record(
            "converted",
            p.call(
                "converted",
                _("reading the dtypes after layer.to(torch.float64)"),
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
        with p.section():
            features = p.randint("hidden/features", 2, 8, secret=True)
            features += features >= FEATURES  # never the public size
            mean, std = statistics(p, "hidden", features, secret=True)
            layer = build(p, "hidden_output", mean, std)
            affine = {name: p.randn(f"hidden/{name}", features, secret=True) for name in ("weight", "bias")}
            p.call("hidden_output", _("loading weight and bias"), load_affine, p, "hidden_output", layer, affine, True)
            inputs = p.randn("hidden/x", p.randint("hidden/batch", 1, 6, secret=True), features, secret=True)
            inputs.requires_grad_()
            output = p.observe("hidden_output", HIDDEN_CALL, layer, within_graph(inputs))
            p.backward("hidden_gradients", HIDDEN_CALL, output, {n: getattr(layer, n) for n in affine}, {"x": inputs})

        with p.section():
            models = [counted_model(p, i) for i in range(2)]
            p.record("hidden_count_facts", [count_facts(model) for model in models])
            counter = p.require("count_parameters", key="hidden_count", fatal=False)
            called = _("count_parameters(model) on hidden models")
            p.record("hidden_count", [p.call("hidden_count", called, counter, model) for model in models])


class CountedModel(nn.Module):
    """Hidden: an embedding whose weight the output layer shares (tied), a module shared by two
    Sequentials, BatchNorm buffers, a frozen layer, a parameter on the root, a Sequential inside an
    nn.ModuleDict."""

    def __init__(self, vocabulary: int, width: int) -> None:
        super().__init__()
        self.temperature = nn.Parameter(torch.ones(1))
        self.embed = nn.Embedding(vocabulary, width)
        shared = nn.Linear(width, width)
        self.encoder = nn.Sequential(shared, nn.BatchNorm1d(width), nn.ReLU())
        self.decoder = nn.Sequential(shared, nn.Tanh())
        self.frozen = nn.Linear(width, width).requires_grad_(False)
        self.heads = nn.ModuleDict({"out": nn.Sequential(nn.Linear(width, vocabulary), nn.LogSoftmax(dim=1))})
        self.heads["out"][0].weight = self.embed.weight  # tied: one parameter under two names


def counted_model(p: Probe, i: int) -> nn.Module:
    """Two of them, of other sizes: a wrong way of counting gives a wrong count for both, while a
    number that happens to equal one wrong count rarely equals the other."""
    vocabulary, width = p.randint(f"tied{i}/vocabulary", 7, 30, secret=True), p.randint(f"tied{i}/width", 3, 9, True)
    return CountedModel(vocabulary, width + 9 * i)


# -- checks --------------------------------------------------------------------------------


def kinds_text(kinds: dict[str, str], names: tuple[str, ...] = NAMES) -> str:
    return ", ".join(
        _("{name} is {kind}").format(name=name, kind=article(kinds.get(name, "missing"))) for name in names
    )


# How the layer keeps an attribute (``kind_of``), said with its article; any other kind is a type's name.
KINDS = {
    "parameter": N_("a parameter"),
    "buffer": N_("a buffer"),
    "non-persistent buffer": N_("a non-persistent buffer"),
    "plain tensor": N_("a plain tensor"),
    "plain tensor requiring grad": N_("a plain tensor requiring grad"),
    "missing": N_("missing"),
}


def article(kind: str) -> str:
    if kind in KINDS:
        return _(KINDS[kind])
    return (_("an {type}") if kind[0] in "aeiou" else _("a {type}")).format(type=kind)


PLAIN_TENSOR = N_(
    "A plain tensor attribute (`self.{name} = ...`) is invisible to nn.Module: it is not in state_dict() (so it is "
    "not saved) and .to()/.double() leave it as it was. Register it as a buffer named '{name}'."
)
LEARNED = N_("{name} is learned: wrap it in nn.Parameter.")
# (what the assignment says the attribute is, what the student's is) -> a hint
KIND_HINTS = {
    ("buffer", "plain tensor"): PLAIN_TENSOR,
    ("buffer", "plain tensor requiring grad"): PLAIN_TENSOR,
    ("buffer", "parameter"): N_(
        "{name} is a statistic of the data, not something to learn: as an nn.Parameter it is handed to the optimizer "
        "and counted as a parameter. Register it as a buffer."
    ),
    ("buffer", "non-persistent buffer"): N_(
        "register_buffer('{name}', ..., persistent=False) keeps {name} out of state_dict(), so it is not saved; "
        "leave persistent at its default, True."
    ),
    ("parameter", "plain tensor requiring grad"): N_(
        "A tensor with requires_grad=True is not a parameter: nn.Module registers only nn.Parameter, so parameters() "
        "and the optimizer never see {name}. Wrap it in nn.Parameter."
    ),
    **{("parameter", kind): LEARNED for kind in ("plain tensor", "buffer", "non-persistent buffer")},
}


def diagnose_kinds(kinds: dict[str, str], wanted: dict[str, str]) -> str | None:
    """A hint for the first attribute kept another way than the assignment says."""
    for name, want in wanted.items():
        kind = kinds.get(name, "missing")
        if kind == want:
            continue
        if kind == "missing":
            return _(
                "Your layer has no attribute {name}: the assignment fixes the names weight, bias, mean and std."
            ).format(name=name)
        if (want, kind) in KIND_HINTS:
            return _(KIND_HINTS[want, kind]).format(name=name)
    return None


def parameters_text(parameters: dict[str, Any]) -> str:
    if not parameters:
        return _("none")
    return "; ".join(
        _("{name} of shape {shape}").format(name=name, shape=shape_text(item["shape"]))
        + ("" if item["requires_grad"] else " (requires_grad=False)")
        for name, item in parameters.items()
    )


@exercise.check(points=2, concept="parameters", needs=("registered",))
def parameters(s: Observations, r: Observations) -> Verdict:
    """weight (ones) and bias (zeros) are the layer's parameters, and nothing else is"""
    yours, reference = s["parameters"], r["parameters"]
    called = _("{called} with F = {features} features, then layer.named_parameters()").format(
        called=CALLED, features=FEATURES
    )
    if set(yours) != set(reference) or any(
        tuple(yours[name]["shape"]) != tuple(reference[name]["shape"]) or not yours[name]["requires_grad"]
        for name in reference
    ):
        return fail(
            _("Called {called}: yours are {yours}; the reference's are {reference}.").format(
                called=called, yours=parameters_text(yours), reference=parameters_text(reference)
            ),
            diagnose_kinds(s["kinds"], {"weight": "parameter", "bias": "parameter", "mean": "buffer", "std": "buffer"}),
        )
    starts = [name for name in reference if not values_match(yours[name]["value"], reference[name]["value"])]
    if starts:
        return fail(
            _("Called {called}: your {names} start with other values than the reference's.").format(
                called=called, names=_(" and ").join(starts)
            ),
            _("weight starts as ones and bias as zeros: at first the layer only standardises."),
        )
    return ok(
        _("Called {called}: weight and bias, of shape ({features},), as expected.").format(
            called=called, features=FEATURES
        )
    )


@exercise.check(points=2, concept="parameters", needs=("registered",))
def buffers(s: Observations, r: Observations) -> Verdict:
    """mean and std are buffers holding the statistics given to the constructor"""
    yours, reference = s["buffers"], r["buffers"]
    called = _("{called}, then layer.named_buffers()").format(called=CALLED)
    if set(yours) != set(reference):
        return fail(
            _("Called {called}: your buffers are {yours}; the reference's are {reference} ({kinds} in yours).").format(
                called=called,
                yours=listed(yours, None, quote=""),
                reference=listed(reference, None, quote=""),
                kinds=kinds_text(s["kinds"], ("mean", "std")),
            ),
            diagnose_kinds(s["kinds"], {"mean": "buffer", "std": "buffer"}),
        )
    for name in reference:
        if not values_match(yours[name], reference[name]):
            return fail(
                _(
                    "Called {called}: your buffer {name} holds {what}, other values than the {name} given to the "
                    "constructor."
                ).format(called=called, name=name, what=describe(yours[name])),
                _("Store the constructor's {name} as it is (a copy of it).").format(name=name),
            )
    return ok(_("Called {called}: mean and std are buffers with the given values.").format(called=called))


@exercise.check(points=2, concept="checkpoints", needs=("state_dict", "saved_output", "roundtrip"))
def state_dict(s: Observations, r: Observations) -> Verdict:
    """state_dict() has exactly the keys weight, bias, mean and std, and a reloaded layer computes the same"""
    yours, reference = list(s["state_dict"]), list(r["state_dict"])
    called = _("{called}, then layer.state_dict()").format(called=CALLED)
    if sorted(yours) != sorted(reference):
        missing = [key for key in reference if key not in yours]
        kinds = s.get("kinds", {})
        hint = diagnose_kinds(kinds, {name: "buffer" for name in missing if name in ("mean", "std")})
        hint = hint or diagnose_kinds(kinds, {name: "parameter" for name in missing})
        lacking = (
            _(" Missing from yours: {names}, which would not be saved.").format(names=listed(missing, None, quote=""))
            if missing
            else ""
        )
        return fail(
            _("Called {called}: your keys are {yours}; the reference's are {reference}.{lacking}").format(
                called=called,
                yours=listed(yours, None, quote=""),
                reference=listed(reference, None, quote=""),
                lacking=lacking,
            ),
            hint,
        )
    if values_match(s["roundtrip"], s["saved_output"]):
        return ok(
            _("Called {called}: its keys are {keys}, and a layer loaded from it computes the same.").format(
                called=called, keys=listed(reference, None, quote="")
            )
        )
    return fail(
        _(
            "Called Standardize(zeros, ones).load_state_dict(layer.state_dict()), then the reloaded layer(x): its "
            "output differs from the saved layer's, so forward uses something that state_dict() did not carry."
        ),
        _("Everything forward uses must be a parameter or a buffer of the layer, and nothing else."),
    )


@exercise.check(points=1, concept="parameters", needs=("converted",))
def follows_to(s: Observations, r: Observations) -> Verdict:
    """layer.to(torch.float64) converts mean, std, weight and bias"""
    yours, reference = s["converted"], r["converted"]
    called = _("{called}, then layer.to(torch.float64)").format(called=CALLED)
    left = [name for name in NAMES if yours.get(name) != reference[name]]
    if not left:
        return ok(_("Called {called}: all four tensors are float64 afterwards.").format(called=called))
    found = ", ".join(_("{name} is {dtype}").format(name=name, dtype=yours.get(name)) for name in left)
    return fail(
        _(
            "Called {called}: afterwards {found}; the reference's are float64. On a GPU, .to('cuda') would leave "
            "them behind on the CPU the same way."
        ).format(called=called, found=found),
        diagnose_kinds(
            s.get("kinds", {}), {name: "buffer" if name in ("mean", "std") else "parameter" for name in left}
        ),
    )


def diagnose_output(variants: Any) -> Callable[[torch.Tensor, torch.Tensor], str | None]:
    """A wrong output recognised as one of the other formulas (see VARIANTS), or nothing."""

    def diagnosis(yours: torch.Tensor, reference: torch.Tensor) -> str | None:
        for name, value in variants.items() if is_mapping(variants) else ():
            if values_match(yours, value):
                return _("Your output equals {formula}: {meaning}. The layer computes {expected}.").format(
                    formula=name, meaning=_(VARIANT_MEANING[name]), expected="(x - mean) / std * weight + bias"
                )
        return None

    return diagnosis


@exercise.check(points=1, concept="forward", needs=("output", "variants"))
def forward_values(s: Observations, r: Observations) -> Verdict:
    """layer(x) computes (x - mean) / std * weight + bias"""
    return compare_values(PUBLIC_CALL, s["output"], r["output"], diagnose_output(r["variants"]))


@exercise.check(points=1, concept="autograd", needs=("output", "gradients"))
def gradients(s: Observations, r: Observations) -> Verdict:
    """backward() from layer(x) gives weight, bias and x the reference's gradients"""
    output_matches = values_match(s["output"], r["output"])
    return compare_gradients(PUBLIC_CALL, s["gradients"], r["gradients"], output_matches=output_matches)


COUNT_DIAGNOSES = {
    "state_dict": N_(
        "Your count is the number of elements in state_dict(): it holds the buffers too (BatchNorm's running_mean, "
        "running_var, num_batches_tracked) and lists a tied weight under each of its names."
    ),
    "every_module": N_(
        "Your count adds up parameters() of every module, and a module's parameters() includes its submodules': "
        "each parameter is counted once for the module that holds it and again for every container above it."
    ),
    "trainable": N_(
        "Your count leaves out the frozen parameters (requires_grad=False): they are parameters too, and hold "
        "numbers like any other."
    ),
    "children": N_(
        "Your count adds up the parameters of each direct child: a parameter of the model itself is left out, and "
        "one that two children share is counted in each."
    ),
    "own_per_module": N_(
        "Your count counts a parameter that two modules share (a tied weight) once per module that holds it: "
        "parameters() yields each parameter once."
    ),
    "with_duplicates": N_(
        "Your count counts a shared parameter once per place it sits in, tied weights and shared modules alike: "
        "parameters() yields each parameter once."
    ),
    "buffers_added": N_("Your count adds the buffers: they are saved, but they are not parameters."),
    "tensors": N_("Your count is the number of parameter tensors, not of the numbers they hold."),
    "state_dict_tensors": N_("Your count is the number of tensors in state_dict(), not of the numbers they hold."),
}


def diagnose_count(cases: list[tuple[Any, dict[str, int], int]]) -> str | None:
    """The usual wrong way of counting that gives the student's count of every model in ``cases``
    ((yours, the model's facts, the reference's count)), if one does."""

    def ways(facts: dict[str, int], reference: int) -> dict[str, int]:
        counts = {**facts, "buffers_added": reference + facts["buffers"], "trainable": reference - facts["frozen"]}
        return {kind: counts[kind] for kind in COUNT_DIAGNOSES}

    kind = recognised(
        [(yours, ways(facts, reference), reference) for yours, facts, reference in cases if is_number(yours)]
    )
    return _(COUNT_DIAGNOSES[kind]) if kind else None


@exercise.check(points=2, concept="parameters", needs=("count", "count_facts"))
def count_parameters(s: Observations, r: Observations) -> Verdict:
    """count_parameters returns, as an int, every parameter element once, and no buffers"""
    yours, reference = s["count"], r["count"]
    called = f"count_parameters({COUNT_MODEL_TEXT})"
    if type(yours) is int and yours == reference:
        return ok(_("Called {called}: yours returned {count}, as expected.").format(called=called, count=count(yours)))
    shown = count(yours) if type(yours) is int else describe(yours)
    message = _("Called {called}: yours returned {yours}; the reference returns {reference}.").format(
        called=called, yours=shown, reference=count(reference)
    )
    if values_match(yours, torch.tensor(reference)) or (is_number(yours) and yours == reference):
        return fail(message + _(" The number is right, but the function returns an int."))
    return fail(message, diagnose_count([(yours, r["count_facts"], reference)]))


def is_number(value: Any) -> bool:
    return type(value) in (int, float)


@exercise.check(points=1, concept="forward", needs=("hidden_output",), hidden=True)
def hidden_forward(s: Observations, r: Observations) -> Verdict:
    """Standardize works for other numbers of features and batch sizes"""
    verdict = compare_values(HIDDEN_CALL, s["hidden_output"], r["hidden_output"], hidden=True)
    if verdict.passed or not values_match(s.get("output"), r["output"]):
        return verdict
    return fail(
        verdict.message,
        _("Your layer is right for the public number of features only: take every size from mean's shape."),
    )


@exercise.check(points=1, concept="autograd", needs=("hidden_output", "hidden_gradients"), hidden=True)
def hidden_gradients(s: Observations, r: Observations) -> Verdict:
    """backward() gives the reference's gradients for other numbers of features"""
    output_matches = values_match(s["hidden_output"], r["hidden_output"])
    return compare_gradients(
        HIDDEN_CALL, s["hidden_gradients"], r["hidden_gradients"], hidden=True, output_matches=output_matches
    )


@exercise.check(points=2, concept="parameters", needs=("hidden_count", "hidden_count_facts"), hidden=True)
def hidden_count_parameters(s: Observations, r: Observations) -> Verdict:
    """count_parameters counts shared parameters once, frozen ones too, and no buffers"""
    called = _(HIDDEN_COUNT)
    cases = list(zip(s["hidden_count"], r["hidden_count_facts"], r["hidden_count"], strict=True))
    if all(type(yours) is int and yours == reference for yours, _facts, reference in cases):
        return ok(_("Called {called}: your counts match the reference's.").format(called=called))
    public = [(s["count"], r["count_facts"], r["count"])] if "count" in s else []
    return fail(
        _("Called {called}: your count differs from the reference's.").format(called=called),
        diagnose_count(public + cases),
    )


exercise.claims = (
    Claim("Write ``Standardize(mean, std)``, a layer for inputs of shape (N, F)", ("forward_values", "hidden_forward")),
    Claim("y = (x - mean) / std * weight + bias", ("forward_values", "hidden_forward")),
    Claim(
        "``mean`` and ``std`` are 1-D tensors of shape (F,), given to the constructor.", ("buffers", "hidden_forward")
    ),
    Claim("store them as buffers named ``mean`` and ``std``", ("buffers", "state_dict", "follows_to")),
    Claim("``weight`` (F ones) and ``bias`` (F zeros) are learned", ("parameters", "follows_to")),
    Claim("``state_dict()`` must have exactly the keys", ("state_dict",)),
    Claim("Like any layer, ``Standardize`` is differentiable", ("gradients", "hidden_gradients")),
    Claim("Write ``count_parameters(model) -> int``", ("count_parameters", "hidden_count_parameters")),
    Claim(
        ">>> layer = Standardize(torch.tensor([1.0, 2.0]), torch.tensor([0.5, 4.0]))",
        ("forward_values", "gradients", "parameters", "buffers", "follows_to", "count_parameters"),
    ),
    Claim("mean and std are buffers, weight and bias parameters.", ("parameters", "buffers")),
    Claim("x has shape (N, F); so has the result.", ("forward_values", "hidden_forward")),
    Claim("The number of parameter elements", ("count_parameters", "hidden_count_parameters")),
)
exercise.prose = (
    "Exercise 07 — parameters, buffers and plain tensors.",
    "A module can hold three kinds of tensors",
    "kept on the module as",
    "A *buffer* is state that belongs to the model but is not learned",
    "A plain tensor attribute is invisible to nn.Module",
    "Part 1.",
    "Part 2.",
    "Why not count ``state_dict()``'s tensors?",
    "It also holds the buffers",
    "``model.parameters()`` yields every parameter once and nothing else.",
)
