"""ex05 — record every submodule's output shape with forward hooks, and leave the model as it was."""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from graders.checks import compare_modes, describe, is_mapping, listed, shape_text
from graders.i18n import N_, Phrase, _
from graders.probe import Probe, forward_hooks, modules_in_eval_mode, type_name
from graders.spec import Claim, Exercise, Hint, Observations, Verdict, fail, numbered, ok

exercise = Exercise(
    id="ex05_activation_recorder",
    title=N_("An activation recorder: forward hooks and their handles"),
    hints=(
        Hint(
            N_(
                "Walk the whole tree with `named_modules()`: it yields (name, module) pairs, the model itself first "
                'under the name "", which has no entry. Every other module gets a forward hook, containers and layers '
                "without weights included, and its entry goes under the name it came with."
            ),
            checks=("names", "hidden_architectures"),
        ),
        Hint(
            N_(
                "Each hook must remember its own name. A lambda made in a loop looks the loop variable up when it "
                "runs, after the loop has ended, so every hook sees the last name: make each hook in a small "
                "function that takes the name, or bind the name as a default argument."
            ),
            checks=("names", "second_model", "hidden_architectures"),
        ),
        Hint(
            N_(
                "A forward hook is called with the module, the tuple of its positional inputs, and its output, after "
                "forward has run. Store the shape of the output, not of an input, as a tuple of plain ints: the "
                "tuple of a torch.Size is one."
            ),
            checks=("shapes", "tuples_of_ints", "hidden_architectures"),
        ),
        Hint(
            N_(
                "The function does three things in order: make a new, empty dict inside the function, so that every "
                "call has its own; attach every hook; then call the model on x, once, as a whole (calling the model, "
                "not its forward method, so that the model's own hooks run too)."
            ),
            checks=("runs_once", "second_model"),
        ),
        Hint(
            N_(
                "register_forward_hook returns a handle, the one way to take that hook off again: keep every handle "
                "in a list, and remove each of them in the finally block of a try around the model's call, so that "
                "they go whether the call returns or raises. Catch nothing: the exception goes on to your caller as "
                "it was. The hooks the model had before are not yours to remove."
            ),
            checks=("handles_removed", "handles_removed_on_error", "error_propagates", "hidden_error"),
        ),
        Hint(
            N_(
                "Recording shapes needs no change of mode: leave train() and eval() alone. A model may arrive with "
                "some modules in eval mode and the others training, and must leave that way."
            ),
            checks=("mode_kept", "hidden_mode_kept"),
        ),
    ),
    error_hints={
        "'tuple' object has no attribute 'shape'": (
            N_(
                "A forward hook is called as hook(module, inputs, output): `inputs` is the tuple of positional "
                "arguments the module got; `output` is what it returned. Record the output's shape."
            )
        ),
        "takes 2 positional arguments but 3 were given": (
            N_("A forward hook is called with three arguments: hook(module, inputs, output).")
        ),
    },
)

CALLED = "record_output_shapes(model, x)"
PUBLIC_INPUT = (2, 1, 10, 10)
SECOND_INPUT = (3, 5)
HIDDEN_MODELS = 2


class SmallNet(nn.Module):
    """The public model: a nested Sequential, parameter-less layers, a Flatten between."""

    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.MaxPool2d(2))
        self.flatten = nn.Flatten()
        self.head = nn.Sequential(nn.Linear(4 * 4 * 4, 8), nn.ReLU(), nn.Dropout(0.25), nn.Linear(8, 3))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.flatten(self.features(x)))


MODEL_TEXT = Phrase(
    N_("{model}; x has shape {shape}"),
    model="model = SmallNet(): features = Sequential(Conv2d(1, 4, 3), ReLU(), MaxPool2d(2)), flatten = Flatten(), "
    "head = Sequential(Linear(64, 8), ReLU(), Dropout(0.25), Linear(8, 3))",
    shape=(2, 1, 10, 10),
)
SECOND_TEXT = Phrase(
    N_("{model} with x of shape {shape}"), model="nn.Sequential(Linear(5, 7), Tanh(), Linear(7, 2))", shape=(3, 5)
)
HIDDEN_TEXT = N_(
    "record_output_shapes(model, x) on hidden models (blocks of their own class in an nn.ModuleList, "
    "Sequentials inside an nn.ModuleDict, BatchNorm, a module that never runs)"
)


def make_second_model() -> nn.Module:
    return nn.Sequential(nn.Linear(5, 7), nn.Tanh(), nn.Linear(7, 2))


# -- what the probe observes ------------------------------------------------------------------


def attached_hooks(model: nn.Module) -> int:
    """Forward (pre-)hooks attached to the model's modules, plus global module hooks."""
    return sum(forward_hooks(model).values())


def watch(model: nn.Module, first: nn.Module, deep: nn.Module) -> dict[str, Any]:
    """Give ``model`` hooks of its own, as its caller might: one on the model counts the calls
    ``model(x)``; one on ``first``, the module forward calls first, counts the runs of forward
    however it was reached, and the other hooks attached at that moment; one on ``deep`` does nothing.
    Returns what they see, and the hooks themselves under "own"."""
    seen: dict[str, Any] = {"calls": 0, "runs": 0, "attached": 0}

    def on_call(module: nn.Module, inputs: tuple[Any, ...]) -> None:
        seen["calls"] += 1

    def on_run(module: nn.Module, inputs: tuple[Any, ...]) -> None:
        seen["runs"] += 1
        seen["attached"] = attached_hooks(model) - len(seen["own"])

    def idle(module: nn.Module, inputs: tuple[Any, ...], output: Any) -> None:
        return None

    model.register_forward_pre_hook(on_call)
    first.register_forward_pre_hook(on_run)
    deep.register_forward_hook(idle)
    seen["own"] = [(model._forward_pre_hooks, on_call), (first._forward_pre_hooks, on_run), (deep._forward_hooks, idle)]
    return seen


def runs(seen: dict[str, Any]) -> dict[str, int]:
    return {key: seen[key] for key in ("calls", "runs", "attached")}


def hooks_left(model: nn.Module, seen: dict[str, Any]) -> dict[str, int]:
    """How many of the caller's own hooks are still attached, and how many others."""
    own = sum(any(hook is mine for hook in hooks.values()) for hooks, mine in seen["own"])
    return {"own": own, "of_yours": attached_hooks(model) - own, "caller": len(seen["own"])}


def structure(model: nn.Module) -> dict[str, dict[str, Any]]:
    """Each submodule's kind, read from the tree alone (no hook, nothing run), to explain mistakes."""
    return {
        name: {
            "type": type(module).__name__,
            "own_parameters": any(True for _parameter in module.parameters(recurse=False)),
            "container": any(True for _child in module.children()),
            "sequential": isinstance(module, nn.Sequential),
        }
        for name, module in model.named_modules()
        if name
    }


def chain_inputs(model: nn.Module, x: torch.Tensor) -> dict[str, tuple[int, ...]]:
    """Each submodule's input shape in a model that is a chain of its children, Sequentials among them
    chains too (the public models are): what a student who recorded inputs would have recorded."""
    seen: dict[str, tuple[int, ...]] = {}

    def walk(module: nn.Module, prefix: str, value: torch.Tensor) -> torch.Tensor:
        for name, child in module.named_children():
            qualified = f"{prefix}{name}"
            seen[qualified] = tuple(value.shape)
            value = walk(child, f"{qualified}.", value) if isinstance(child, nn.Sequential) else child(value)
        return value

    with torch.no_grad():
        walk(model, "", x)
    return seen


def record_result(p: Probe, key: str, result: Any) -> None:
    """The returned mapping as a plain dict (an OrderedDict or defaultdict is fine), and its type."""
    p.record(f"{key}_type", type_name(result))
    if isinstance(result, dict) and type(result) is not dict:
        result = p.call(key, _("reading the dict you returned"), lambda: dict(result.items()))
    p.record(key, result)


@exercise.probe
def probe(p: Probe) -> None:
    record = p.require("record_output_shapes")
    x = p.randn("x", *PUBLIC_INPUT)
    second_x = p.randn("second_x", *SECOND_INPUT)
    model, second_net = SmallNet(), make_second_model()
    p.record("structure", structure(model))
    p.record("inputs", chain_inputs(model, x))
    p.record("second_structure", structure(second_net))
    p.record("second_inputs", chain_inputs(second_net, second_x))

    seen, result = watch(model, model.features, model.head[0]), None
    with p.section():
        result = p.call("shapes", CALLED, record, model, x)
        record_result(p, "shapes", result)
        p.record("run", runs(seen))
        p.record("modes_after", modules_in_eval_mode(model))
        p.record("hooks_after_one", hooks_left(model, seen))
    with p.section():  # a new dict on every call: the first one stays as it was
        second = p.call("second", _("record_output_shapes(model, x) on a second model"), record, second_net, second_x)
        record_result(p, "second", second)
        record_result(p, "first_after", result)
        p.record("second_is_first", second is result)
    with p.section():
        p.call("hooks_after_two", _("{called} a second time").format(called=CALLED), record, model, x)
        p.record("hooks_after_two", hooks_left(model, seen))
        p.call("shapes_later", _("model(x) on another batch size, after your function returned"), model, x[:1])
        record_result(p, "shapes_later", result)

    with p.section():
        model = SmallNet()
        seen = watch(model, model.features, model.head[0])
        bad = p.randn("bad_x", 2, 3, 10, 10)  # 3 channels for a 1-channel conv: model(x) raises
        p.expect_error("error_raised", CALLED, record, model, bad)
        p.record("error_run", runs(seen))
        p.record("error_hooks", hooks_left(model, seen))

    if p.hidden:
        for i, build in enumerate((block_net, two_heads)):
            with p.section():
                model, hidden_x = build(p)
                p.record(f"hidden_structure{i}", structure(model))
                watch(model, *watched_modules(model))  # the caller's own hooks
                result = p.call(
                    f"hidden{i}", _("record_output_shapes(model, x) on a hidden model"), record, model, hidden_x
                )
                record_result(p, f"hidden{i}", result)
                p.record(f"hidden_modes_after{i}", modules_in_eval_mode(model))
        with p.section():
            model, hidden_x = two_heads(p)
            seen = watch(model, *watched_modules(model))
            wrong = hidden_x.reshape(hidden_x.shape[0], 1, 1, -1)  # 4-D: the BatchNorm1d raises a ValueError
            p.expect_error(
                "hidden_error_raised", _("record_output_shapes(model, x) on a hidden model"), record, model, wrong
            )
            p.record("hidden_error_hooks", hooks_left(model, seen))


# -- hidden models --------------------------------------------------------------------------------


class Block(nn.Module):
    def __init__(self, channels: int) -> None:
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 3, padding=1)
        self.norm = nn.BatchNorm2d(channels)
        self.act = nn.GELU()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.act(self.norm(self.conv(x)))


class BlockNet(nn.Module):
    """Hidden: blocks of a class of its own in an nn.ModuleList (which itself never runs), so names of
    three parts; BatchNorm; a spare layer that forward never uses."""

    def __init__(self, channels: int, depth: int, classes: int) -> None:
        super().__init__()
        self.stem = nn.Conv2d(1, channels, 3)
        self.blocks = nn.ModuleList(Block(channels) for _block in range(depth))
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(channels, classes)
        self.spare = nn.Linear(channels, classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        for block in self.blocks:
            x = block(x)
        return self.fc(self.flatten(self.pool(x)))


class TwoHeads(nn.Module):
    """Hidden: a trunk with a BatchNorm its caller keeps in eval mode, and heads in an nn.ModuleDict,
    one a Sequential inside a Sequential (names of four parts)."""

    def __init__(self, features: int, hidden: int, classes: int) -> None:
        super().__init__()
        self.trunk = nn.Sequential(nn.Linear(features, hidden), nn.BatchNorm1d(hidden), nn.Tanh())
        self.heads = nn.ModuleDict(
            {
                "age": nn.Linear(hidden, 1),
                "mask": nn.Sequential(nn.Sequential(nn.Linear(hidden, classes), nn.ReLU()), nn.Softmax(dim=1)),
            }
        )
        self.trunk[1].eval()  # a frozen BatchNorm: the model's modes are mixed

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.trunk(x)
        return torch.cat([self.heads["age"](x), self.heads["mask"](x)], dim=1)


def block_net(p: Probe) -> tuple[nn.Module, torch.Tensor]:
    channels, depth = p.randint("hidden0/channels", 2, 6, secret=True), p.randint("hidden0/depth", 1, 3, secret=True)
    size, batch = p.randint("hidden0/size", 5, 12, secret=True), p.randint("hidden0/batch", 1, 4, secret=True)
    model = BlockNet(channels, depth, p.randint("hidden0/classes", 2, 9, secret=True))
    return model, p.randn("hidden0/x", batch, 1, size, size, secret=True)


def two_heads(p: Probe) -> tuple[nn.Module, torch.Tensor]:
    features, hidden = p.randint("hidden1/features", 3, 9, secret=True), p.randint("hidden1/hidden", 4, 12, secret=True)
    model = TwoHeads(features, hidden, p.randint("hidden1/classes", 2, 6, secret=True))
    return model, p.randn("hidden1/x", p.randint("hidden1/batch", 1, 4, secret=True), features, secret=True)


def watched_modules(model: nn.Module) -> tuple[nn.Module, nn.Module]:
    """The module forward calls first, and a deep one, for the caller's own hooks."""
    if isinstance(model, BlockNet):
        return model.stem, model.blocks[0].norm
    return model.trunk, model.heads["mask"][0][0]


# -- reading what came back -----------------------------------------------------------------------


def as_shapes(value: Any) -> dict[str, Any] | None:
    """The student's dict with shape-like values (tuples or lists of ints) as tuples; None if it is not a dict."""
    if not is_mapping(value):
        return None
    return {
        key: tuple(item) if isinstance(item, list | tuple) and all(type(n) is int for n in item) else item
        for key, item in value.items()
    }


def shown_value(value: Any) -> str:
    return shape_text(value) if isinstance(value, tuple) else describe(value)


def not_a_dict(s: Observations, key: str, called: str | Phrase) -> Verdict:
    return fail(
        _("Called {called}: yours returned {what} (a {type}); the reference returns a dict of {{name: shape}}.").format(
            called=called, what=describe(s[key]), type=s.get(f"{key}_type")
        ),
        _("Build a dict in the function and return it once the model has run."),
    )


DIAGNOSES = {
    "root": N_('Your dict has an entry for the root, under the name "": the model itself has none.'),
    "class_names": N_(
        "Your keys are class names, so modules of one class share a key. The keys are the qualified names "
        "named_modules() yields with each module: 'features.0', 'head.3', ..."
    ),
    "objects": N_(
        "Your keys are modules (or their text), not names: named_modules() yields (name, module) pairs; the "
        "key is the name."
    ),
    "last_name": N_(
        "Every hook wrote under the same name, {name}, the last one named_modules() yields: a hook made in a "
        "loop that reads the loop's variable when it runs sees only its last value. Bind the name when you "
        "make the hook."
    ),
    "hidden_last_name": N_(
        "Every hook wrote under the same name, the last one named_modules() yields: a hook made in a loop that "
        "reads the loop's variable when it runs sees only its last value. Bind the name when you make the hook."
    ),
    "children": N_(
        "Your keys are exactly the model's direct children: named_children() stops at the first level; "
        "named_modules() walks the whole tree."
    ),
    "weights": N_(
        "Your keys are exactly the modules that hold parameters of their own. Layers without weights and "
        "containers are modules too, each with an output."
    ),
    "two_levels": N_(
        "Your keys are exactly the names of at most two parts: your walk of the tree stops two levels below "
        "the model, and deeper modules (a layer inside a block inside a list) get no entry."
    ),
    "own_class_containers": N_(
        "Your dict lacks exactly the modules of a class of the model's own that hold other modules: a "
        "container is any module with children, not only an nn.Sequential, and it has an output too."
    ),
    "containers": N_(
        "Your dict lacks exactly the containers: a module that holds others (an nn.Sequential, a block) "
        "runs and returns an output (its last layer's), so it gets an entry of its own."
    ),
    "did_not_run": N_(
        "Your dict has entries for modules that never run during model(x) (an nn.ModuleList, say, is never "
        "called itself): a module gets an entry only when its hook fires."
    ),
}


def diagnose_names(yours: set[str], reference: set[str], tree: dict[str, dict[str, Any]], hidden: bool) -> str | None:
    """What the student's keys are, when they are recognisably some other set of the tree's names;
    ``tree`` is the model's structure, ``reference`` the names of the modules that ran."""
    kinds = {
        "class_names": {fact["type"] for name, fact in tree.items() if name in reference},
        "children": {name for name in reference if "." not in name},
        "weights": {name for name in reference if tree[name]["own_parameters"]},
        "two_levels": {name for name in reference if name.count(".") <= 1},
    }
    missing, extra = reference - yours, yours - reference
    if "" in yours:
        return _(DIAGNOSES["root"])
    if extra and not yours & reference and yours <= kinds["class_names"]:
        return _(DIAGNOSES["class_names"])
    if any("(" in name for name in extra):
        return _(DIAGNOSES["objects"])
    last = next(reversed(tree))
    if yours == {last} and len(reference) > 1:
        return _(DIAGNOSES["hidden_last_name"]) if hidden else _(DIAGNOSES["last_name"]).format(name=repr(last))
    for kind in ("children", "weights", "two_levels"):
        if yours == kinds[kind] != reference:
            return _(DIAGNOSES[kind])
    if missing and not extra:
        own_class = {name for name in reference if tree[name]["container"] and not tree[name]["sequential"]}
        if missing == own_class:
            return _(DIAGNOSES["own_class_containers"])
        if missing == {name for name in reference if tree[name]["container"]}:
            return _(DIAGNOSES["containers"])
    if extra and not missing and extra <= set(tree):
        return _(DIAGNOSES["did_not_run"])
    return None


def empty_dict(run: dict[str, int]) -> str:
    """Why the dict is empty, as far as the caller's hooks saw."""
    if not run["runs"]:
        return _("Your function never ran the model, so no hook could fire.")
    if not run["attached"]:
        return _("When the model ran, none of your hooks was attached to it: attach them before the model runs.")
    return _(
        "{count} of your hooks were attached while the model ran, yet the dict you returned is empty: your hooks "
        "write somewhere else than into the dict you return."
    ).format(count=run["attached"])


@exercise.check(points=3, concept="tree", needs=("shapes", "structure"))
def names(s: Observations, r: Observations) -> Verdict:
    """The dict has one entry per submodule, under its qualified name"""
    yours_dict = as_shapes(s["shapes"])
    if yours_dict is None:
        return not_a_dict(s, "shapes", CALLED)
    yours, reference = set(yours_dict), set(r["shapes"])
    if yours == reference:
        return ok(
            _("Called {called}: your dict names all {count} submodules, as the reference's does.").format(
                called=CALLED, count=len(reference)
            )
        )
    missing, extra = reference - yours, yours - reference
    parts = [
        _("Called {called} with {model}: your dict has {keys}").format(
            called=CALLED,
            model=MODEL_TEXT,
            keys=_("the keys {keys}").format(keys=listed(sorted(yours), 8)) if yours else _("no keys"),
        ),
        _("the reference's has {keys}").format(keys=listed(sorted(reference), 12)),
    ]
    if missing:
        parts.append(_("yours lacks {keys}").format(keys=listed(sorted(missing), 8)))
    if extra:
        parts.append(_("yours has {keys}, which the reference's has not").format(keys=listed(sorted(extra), 8)))
    message = _("{parts}.").format(parts="; ".join(parts))
    if not yours and "run" in s:
        return fail(message, empty_dict(s["run"]))
    return fail(message, diagnose_names(yours, reference, r["structure"], hidden=False))


def diagnose_shapes(yours: dict[str, Any], wrong: list[str], inputs: dict[str, Any] | None) -> str | None:
    """What wrong shapes are, when the observations show it."""
    if inputs and all(yours[name] == tuple(inputs.get(name, ())) for name in wrong):
        return _(
            "Each of your wrong shapes is the shape of that module's input. A forward hook is called as "
            "hook(module, inputs, output): record the output's shape."
        )
    if all(isinstance(yours[name], torch.Tensor) for name in wrong):
        return _("Your values are tensors, the outputs themselves: record the output's shape.")
    return None


@exercise.check(points=2, concept="forward", needs=("shapes", "inputs"))
def shapes(s: Observations, r: Observations) -> Verdict:
    """Each recorded shape is the shape of that module's output"""
    yours = as_shapes(s["shapes"])
    if yours is None:
        return not_a_dict(s, "shapes", CALLED)
    common = [name for name in r["shapes"] if name in yours]
    if not common:
        return fail(
            _(
                "Called {called}: none of your keys is a name the reference records ({names}), so no shape "
                "could be compared (see the check on names)."
            ).format(called=CALLED, names=listed(sorted(r["shapes"]), 4))
        )
    wrong = [name for name in common if yours[name] != tuple(r["shapes"][name])]
    if not wrong:
        return ok(
            _("Called {called}: the shapes of all {count} modules you recorded are right.").format(
                called=CALLED, count=len(common)
            )
        )
    first = wrong[0]
    return fail(
        _(
            "Called {called} with {model}: {wrong} of your {total} shapes differ from the reference's; for {name!r} "
            "yours is {yours}, the reference's {reference}."
        ).format(
            called=CALLED,
            model=MODEL_TEXT,
            wrong=len(wrong),
            total=len(common),
            name=first,
            yours=shown_value(yours[first]),
            reference=shape_text(r["shapes"][first]),
        ),
        diagnose_shapes(yours, wrong, s["inputs"]),
    )


@exercise.check(points=1, concept="forward", needs=("shapes",))
def tuples_of_ints(s: Observations, r: Observations) -> Verdict:
    """Each shape is a tuple of ints"""
    if not is_mapping(s["shapes"]):
        return not_a_dict(s, "shapes", CALLED)
    values = list(s["shapes"].items())
    if not values:
        return fail(_("Called {called}: your dict is empty, so it holds no shape.").format(called=CALLED))
    other = [(name, value) for name, value in values if not is_int_tuple(value)]
    if not other:
        return ok(_("Called {called}: every value in your dict is a tuple of ints.").format(called=CALLED))
    name, value = other[0]
    return fail(
        _(
            "Called {called}: {count} of your {total} values are not tuples of ints; under {name!r} yours is {what}. "
            "The reference's are tuples of ints, such as {example}."
        ).format(
            called=CALLED,
            count=len(other),
            total=len(values),
            name=name,
            what=describe(value),
            example=shape_text(next(iter(r["shapes"].values()))),
        ),
        _("A list of ints or a tensor is not a tuple of ints: the tuple of a torch.Size is one, as is the torch.Size."),
    )


def is_int_tuple(value: Any) -> bool:
    return isinstance(value, tuple) and all(type(n) is int for n in value)


@exercise.check(points=1, concept="forward", needs=("shapes", "run"))
def runs_once(s: Observations, r: Observations) -> Verdict:
    """It runs model(x) once"""
    run = s["run"]
    called = _("Called {called}, with a hook of ours on the model that counts its calls").format(called=CALLED)
    if run["calls"] == 1 and run["runs"] == 1:
        return ok(_("{called}: your function called model(x) once.").format(called=called))
    if not run["runs"]:
        return fail(
            _("{called}: your function never ran the model; the reference calls model(x) once.").format(called=called)
        )
    if not run["calls"]:
        return fail(
            _(
                "{called}: your function ran the model's forward without calling model(x), so the model's own hooks "
                "(ours among them) did not run; the reference calls model(x) once."
            ).format(called=called),
            _("model.forward(x) skips the model's hooks; calling the model itself runs them, then forward."),
        )
    return fail(
        _(
            "{called}: your function ran the model's forward {runs} times, {calls} of them by calling model(x); "
            "the reference calls model(x) once."
        ).format(called=called, runs=run["runs"], calls=run["calls"]),
        _("One run fires every hook that is attached: attach all the hooks first, then run the model once."),
    )


@exercise.check(
    points=2,
    concept="forward",
    needs=("shapes", "second", "first_after", "second_is_first", "second_structure", "second_inputs"),
)
def second_model(s: Observations, r: Observations) -> Verdict:
    """A second call, on another model, returns a new dict with that model's entries only"""
    called = _("{called} on SmallNet, then record_output_shapes(model, x) on a second model, {second}").format(
        called=CALLED, second=SECOND_TEXT
    )
    yours = as_shapes(s["second"])
    reference = {name: tuple(shape) for name, shape in r["second"].items()}
    if yours is None:
        return not_a_dict(s, "second", called)
    if yours != reference:
        stale = set(yours) - set(reference)
        if stale and stale <= set(r["shapes"]):
            hint = _(
                "The entries of the first model are the ones left over from the first call: the dict outlived it. "
                "Create the dict inside the function, so every call starts empty."
            )
        elif set(yours) == set(reference):
            wrong = [name for name in reference if yours[name] != reference[name]]
            hint = diagnose_shapes(yours, wrong, r["second_inputs"])
        else:
            hint = diagnose_names(set(yours), set(reference), r["second_structure"], hidden=False)
        return fail(
            _("Called {called}: yours returned {yours}; the reference's is {reference}.").format(
                called=called, yours=yours, reference=reference
            ),
            hint,
        )
    if s["second_is_first"] or as_shapes(s["first_after"]) != as_shapes(s["shapes"]):
        same = (
            _(" Both calls returned the very same dict object.")
            if s["second_is_first"]
            else _(" The second call wrote into it.")
        )
        return fail(
            _(
                "Called {called}: the second dict is right, but the dict the first call had returned changed during "
                "the second call: it now holds {now}.{same}"
            ).format(called=called, now=as_shapes(s["first_after"]), same=same),
            _("Make a new dict inside the function on every call: a dict shared between calls is not new."),
        )
    return ok(
        _("Called {called}: your second dict is {reference}, a new one, and the first is unchanged.").format(
            called=called, reference=reference
        )
    )


def hooks_text(left: dict[str, int]) -> str:
    return _("{own} of its own {caller} hooks and {yours} of yours").format(
        own=left["own"], caller=left["caller"], yours=left["of_yours"]
    )


@exercise.check(points=2, concept="forward", needs=("run", "hooks_after_one", "hooks_after_two", "shapes"))
def handles_removed(s: Observations, r: Observations) -> Verdict:
    """No hook of yours stays attached after the function returns; the model's own hooks stay"""
    one, two, attached = s["hooks_after_one"], s["hooks_after_two"], s["run"]["attached"]
    called = _("Called {called} twice on a model that carried {caller} hooks of its own").format(
        called=CALLED, caller=one["caller"]
    )
    if min(one["own"], two["own"]) < one["caller"]:
        return fail(
            _("{called}: afterwards it carried {left}: your function removed hooks that were not yours.").format(
                called=called, left=hooks_text(two if two["own"] < one["caller"] else one)
            ),
            _(
                "Remove only the hooks you added, each with the handle register_forward_hook gave you; clearing "
                "a module's hook dictionaries removes its owner's hooks too."
            ),
        )
    if one["of_yours"] == 0 and two["of_yours"] == 0:
        return ok(
            _("{called}: afterwards it carried exactly its own hooks; all of yours were removed.").format(called=called)
        )
    message = _("{called}: after one call it still carried {one} of your hooks, after two calls {two}.").format(
        called=called, one=one["of_yours"], two=two["of_yours"]
    )
    later = as_shapes(s["shapes_later"])
    if later is not None and later != as_shapes(s["shapes"]):
        message += _(
            " The dict your function had returned even changed when we called model(x) again later: your hooks "
            "kept writing into it."
        )
    removed = attached - one["of_yours"]
    if attached > 1 and removed == 1:
        hint = _(
            "Of the {attached} hooks you attached, exactly one was removed: keep every handle, not only the last "
            "one a variable was given, and remove each."
        ).format(attached=attached)
    elif removed <= 0:
        hint = _(
            "None of your hooks was removed: a hook stays attached until its handle's remove() is called, so keep "
            "the handles register_forward_hook returns and remove them all before you return."
        )
    else:
        hint = _("{removed} of the {attached} hooks you attached were removed; the others stayed.").format(
            removed=removed, attached=attached
        )
    return fail(message, hint)


@exercise.check(points=1, concept="forward", needs=("error_raised", "error_run", "error_hooks"))
def handles_removed_on_error(s: Observations, r: Observations) -> Verdict:
    """The hooks are removed also when model(x) raises"""
    left, run = s["error_hooks"], s["error_run"]
    called = _(
        "Called {called} with an x the model rejects (3 channels into Conv2d(1, ...)), so that model(x) raises"
    ).format(called=CALLED)
    if not run["runs"]:
        raised, message = s["error_raised"]["raised"], s["error_raised"]["message"]
        what = _("raised {type} ({message})").format(type=raised, message=message) if raised else _("returned")
        return fail(_("{called}: your function {what} without running the model.").format(called=called, what=what))
    if left["own"] < left["caller"]:
        return fail(
            _("{called}: afterwards the model carried {left}: your function removed hooks that were not yours.").format(
                called=called, left=hooks_text(left)
            )
        )
    if left["of_yours"] == 0:
        return ok(_("{called}: no hook of yours was left behind.").format(called=called))
    return fail(
        _("{called}: afterwards {count} of your hooks were still attached.").format(
            called=called, count=left["of_yours"]
        ),
        _(
            "Your hooks are removed only when the model's call returns: remove them in the finally block of a try "
            "around the model's call, which runs whether the call returns or raises."
        ),
    )


def propagation(raised: dict[str, Any], expected: dict[str, Any], called: str | Phrase, hidden: bool) -> Verdict | None:
    """What differs between the exception the student's function let out and the model's own (hidden:
    without naming either)."""
    if raised["raised"] == expected["raised"]:
        return None
    if raised["raised"] is None:
        return fail(
            _(
                "{called}: your function returned normally; the reference lets the model's exception propagate to "
                "its caller."
            ).format(called=called),
            _(
                "Catch nothing, or re-raise what you caught with a bare raise: the caller must learn that the "
                "model failed."
            ),
        )
    if hidden:
        message = _(
            "{called}: your function raised another exception than the model's, which the reference lets through."
        )
    else:
        message = _(
            "{called}: your function raised {type} ({message}); the model raised {expected}, which the reference "
            "lets through."
        )
    return fail(
        message.format(called=called, type=raised["raised"], message=raised["message"], expected=expected["raised"]),
        _("Let the model's own exception through: a bare raise re-raises it; raising another one replaces it."),
    )


@exercise.check(points=1, concept="forward", needs=("error_raised",))
def error_propagates(s: Observations, r: Observations) -> Verdict:
    """When model(x) raises, the exception propagates"""
    called = _("Called {called} with an x the model rejects").format(called=CALLED)
    verdict = propagation(s["error_raised"], r["error_raised"], called, hidden=False)
    return verdict or ok(
        _("{called}: the model's {type} reached us, as it should.").format(
            called=called, type=r["error_raised"]["raised"]
        )
    )


@exercise.check(points=1, concept="evaluation", needs=("shapes", "modes_after"))
def mode_kept(s: Observations, r: Observations) -> Verdict:
    """Every module keeps its training mode"""
    called = _("{called} on a model in training mode").format(called=CALLED)
    return compare_modes(
        called,
        s["modes_after"],
        r["modes_after"],
        _(
            "train() and eval() set the mode of every module below the one you call them on; recording shapes "
            "needs neither."
        ),
    )


# -- hidden checks: other trees, another exception, mixed modes ---------------------------------------


def dict_difference(yours: Any, reference: dict[str, Any]) -> str | None:
    """What differs between two {name: shape} dicts, without names or numbers; None if nothing."""
    yours_dict = as_shapes(yours)
    if yours_dict is None:
        return _("yours returned {what}, not a dict").format(what=describe(yours))
    missing, extra = set(reference) - set(yours_dict), set(yours_dict) - set(reference)
    wrong = [name for name in reference if name in yours_dict and yours_dict[name] != tuple(reference[name])]
    parts = [
        _("some of the reference's names are missing from yours") if missing else "",
        _("yours has names the reference's has not") if extra else "",
        _("some shapes differ") if wrong else "",
    ]
    return ", ".join(part for part in parts if part) or None


@exercise.check(
    points=3,
    concept="tree",
    needs=(*numbered("hidden", HIDDEN_MODELS), *numbered("hidden_structure", HIDDEN_MODELS)),
    hidden=True,
)
def hidden_architectures(s: Observations, r: Observations) -> Verdict:
    """The recorder works on other trees: ModuleList, ModuleDict, blocks of their own class, deeper names"""
    called = _(HIDDEN_TEXT)
    for i in range(HIDDEN_MODELS):
        difference = dict_difference(s[f"hidden{i}"], r[f"hidden{i}"])
        if difference is None:
            continue
        yours = as_shapes(s[f"hidden{i}"])
        hint = (
            diagnose_names(set(yours), set(r[f"hidden{i}"]), r[f"hidden_structure{i}"], hidden=True)
            if yours is not None and set(yours) != set(r[f"hidden{i}"])
            else None
        )
        extra = set(yours or ()) - set(r[f"hidden{i}"])
        if extra and extra <= set(r["shapes"]) | set(r["second"]):
            hint = _(
                "Your dict holds names of the public models, left over from earlier calls: create the dict inside the "
                "function, so every call starts empty."
            )
        if hint is None and dict_difference(s.get("shapes"), r["shapes"]) is not None:
            hint = _("Your dict for the public model is wrong too: the public checks' messages name the mistake.")
        return fail(
            _("Called {called}: on hidden model {number}, {difference}.").format(
                called=called, number=i + 1, difference=difference
            ),
            hint,
        )
    return ok(_("Called {called}: your dicts match the reference's.").format(called=called))


@exercise.check(
    points=1, concept="forward", needs=("error_hooks", "hidden_error_raised", "hidden_error_hooks"), hidden=True
)
def hidden_error(s: Observations, r: Observations) -> Verdict:
    """The hooks are removed, and the exception propagates, when a deeper module raises another kind of error"""
    called = _(
        "Called record_output_shapes(model, x) on a hidden model that raises another exception than the public "
        "one, in a module deeper down, after some of your hooks have fired"
    )
    verdict = propagation(s["hidden_error_raised"], r["hidden_error_raised"], called, hidden=True)
    if verdict is not None:
        return verdict
    left = s["hidden_error_hooks"]
    if left["own"] < left["caller"]:
        return fail(_("{called}: afterwards the model had lost hooks that were not yours.").format(called=called))
    if left["of_yours"]:
        hint = (
            _(
                "With the public model's exception your hooks were removed, with this one they were not: removing "
                "them only when one kind of exception passes misses the others, while the finally block of a try "
                "runs whatever happens."
            )
            if not s["error_hooks"]["of_yours"]
            else _("With the public model's exception your hooks stayed too: see the check on that.")
        )
        return fail(
            _("{called}: the exception came through, but some of your hooks were still attached afterwards.").format(
                called=called
            ),
            hint,
        )
    return ok(_("{called}: the exception came through and no hook of yours was left behind.").format(called=called))


@exercise.check(
    points=1,
    concept="evaluation",
    needs=(*numbered("hidden", HIDDEN_MODELS), *numbered("hidden_modes_after", HIDDEN_MODELS)),
    hidden=True,
)
def hidden_mode_kept(s: Observations, r: Observations) -> Verdict:
    """Every module keeps its mode on a model whose modules are in mixed modes"""
    called = _("record_output_shapes(model, x) on hidden models, one with some modules in eval mode")
    for i in range(HIDDEN_MODELS):
        yours, reference = s[f"hidden_modes_after{i}"], r[f"hidden_modes_after{i}"]
        modules = len(r[f"hidden_structure{i}"]) + 1  # the root has no entry in the structure
        uniform = len(yours) in (0, modules) and 0 < len(reference) < modules
        verdict = compare_modes(
            called,
            yours,
            reference,
            _(
                "The model came with its modules in mixed modes and left with all of them in one: a single "
                "train() or eval() call sets every module below it, which is not the mix the model came with. "
                "Leave the modes alone."
            )
            if uniform
            else None,
            hidden=True,
        )
        if not verdict.passed:
            return verdict
    return ok(_("Called {called}: every module kept its mode.").format(called=called))


exercise.claims = (
    Claim("It runs ``model(x)`` once", ("runs_once",)),
    Claim(
        "returns a dict that maps the name of every submodule of ``model`` to the shape of that submodule's output",
        ("names", "shapes", "hidden_architectures"),
    ),
    Claim("as a tuple of ints (a ``torch.Size`` is one too)", ("tuples_of_ints",)),
    Claim("every hook it added is removed before it returns", ("handles_removed",)),
    Claim("the hooks the model already had stay", ("handles_removed", "handles_removed_on_error")),
    Claim("every module keeps its training mode", ("mode_kept", "hidden_mode_kept")),
    Claim(
        "also when ``model(x)`` raises (let the exception propagate)",
        ("handles_removed_on_error", "error_propagates", "hidden_error"),
    ),
    Claim('"Every submodule" means every module that ``model.named_modules()`` yields except the root', ("names",)),
    Claim("The keys are the qualified names that ``named_modules()`` gives", ("names", "hidden_architectures")),
    Claim("A module that does not run during ``model(x)`` has no entry.", ("hidden_architectures",)),
    Claim("Make a new dict on every call", ("second_model",)),
    Claim("Bind the name when you make the hook", ("names", "second_model", "hidden_architectures")),
    Claim(
        ">>> model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))", ("names", "shapes", "handles_removed")
    ),
    Claim("Remove the hooks in a ``finally:`` block", ("handles_removed_on_error", "hidden_error")),
    Claim(
        "Run ``model(x)`` once; return {qualified name: output shape} for every submodule, and leave no hook behind.",
        ("runs_once", "names", "shapes", "handles_removed"),
    ),
)
exercise.prose = (
    "Exercise 05 — an activation recorder",
    "A *forward hook* is a function that a module calls after its own ``forward`` has run",
    "# inputs: the tuple of positional arguments",
    "returns a *handle*, and the handle is the only way",
    "A hook that is never removed stays attached",
    "Write ``record_output_shapes(model, x)``.",
    "In the models we test, every module runs once and returns a single tensor.",
    "Two things to watch:",
    "A hook made in a loop,",
)
