"""ex05 — record every submodule's output shape with forward hooks, then remove every hook."""

from __future__ import annotations

from typing import Any

import torch
from torch import nn
from torch.nn.modules import module as module_globals

from graders.checks import describe, is_mapping, listed, shape_text
from graders.probe import Probe, type_name
from graders.spec import Exercise, Hint, Observations, Verdict, fail, ok

exercise = Exercise(
    id="ex05_activation_recorder",
    title="An activation recorder: forward hooks and their handles",
    hints=(
        Hint(
            'Loop over `model.named_modules()`, skip the root (its name is ""), and give every other module a '
            "forward hook that stores `tuple(output.shape)` under that module's name. Parameter-less layers "
            "(ReLU, Flatten, Dropout) and containers are modules too.",
            checks=("names", "shapes", "second_model"),
        ),
        Hint(
            "Make each hook with a helper, `def recorder(name): def hook(module, inputs, output): ...; "
            "return hook`, so that every hook remembers its own name: a lambda made in the loop sees only the "
            "loop's last name when it finally runs.",
            checks=("names", "hidden_architectures"),
        ),
        Hint(
            "`register_forward_hook` returns a handle: keep every handle in a list and, in a `finally:` block "
            "after `model(x)`, call `handle.remove()` on each. Then no hook outlives your function, even when "
            "model(x) raises.",
            checks=("handles_removed", "handles_removed_on_error"),
        ),
    ),
    error_hints={
        "'tuple' object has no attribute 'shape'": (
            "A forward hook is called as hook(module, inputs, output): `inputs` is the tuple of positional "
            "arguments the module got; `output` is what it returned. Record `output.shape`."
        ),
        "takes 2 positional arguments but 3 were given": (
            "A forward hook is called with three arguments: hook(module, inputs, output)."
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


MODEL_TEXT = (
    "model = SmallNet(): features = Sequential(Conv2d(1, 4, 3), ReLU(), MaxPool2d(2)), flatten = Flatten(), "
    "head = Sequential(Linear(64, 8), ReLU(), Dropout(0.25), Linear(8, 3)); x has shape (2, 1, 10, 10)"
)


def make_second_model() -> nn.Module:
    return nn.Sequential(nn.Linear(5, 7), nn.Tanh(), nn.Linear(7, 2))


class Block(nn.Module):
    def __init__(self, channels: int) -> None:
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 3, padding=1)
        self.norm = nn.BatchNorm2d(channels)
        self.act = nn.GELU()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.act(self.norm(self.conv(x)))


class BlockNet(nn.Module):
    """Hidden: blocks in an nn.ModuleList (which itself never runs), three levels of names."""

    def __init__(self, channels: int, depth: int, classes: int) -> None:
        super().__init__()
        self.stem = nn.Conv2d(1, channels, 3)
        self.blocks = nn.ModuleList(Block(channels) for _ in range(depth))
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(channels, classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        for block in self.blocks:
            x = block(x)
        return self.fc(self.flatten(self.pool(x)))


class TwoHeads(nn.Module):
    """Hidden: heads in an nn.ModuleDict, one of them a Sequential ending in a Softmax."""

    def __init__(self, features: int, hidden: int, classes: int) -> None:
        super().__init__()
        self.trunk = nn.Sequential(nn.Linear(features, hidden), nn.Tanh(), nn.Identity())
        self.heads = nn.ModuleDict(
            {"age": nn.Linear(hidden, 1), "mask": nn.Sequential(nn.Linear(hidden, classes), nn.Softmax(dim=1))}
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.trunk(x)
        return torch.cat([self.heads["age"](x), self.heads["mask"](x)], dim=1)


def attached_hooks(model: nn.Module) -> int:
    """Forward (pre-)hooks attached to the model's modules, plus global module hooks."""
    total = len(module_globals._global_forward_hooks) + len(module_globals._global_forward_pre_hooks)
    for module in model.modules():
        total += len(module._forward_hooks) + len(module._forward_pre_hooks)
    return total


def hidden_model(p: Probe, i: int) -> tuple[nn.Module, torch.Tensor]:
    batch = p.randint(f"hidden{i}/batch", 1, 4, secret=True)
    if i == 0:
        channels, depth = p.randint("hidden0/channels", 2, 6, secret=True), p.randint("hidden0/depth", 1, 3, True)
        size = p.randint("hidden0/size", 5, 12, secret=True)
        model = BlockNet(channels, depth, p.randint("hidden0/classes", 2, 9, secret=True))
        return model, p.randn("hidden0/x", batch, 1, size, size, secret=True)
    features, hidden = p.randint("hidden1/features", 3, 9, secret=True), p.randint("hidden1/hidden", 4, 12, True)
    model = TwoHeads(features, hidden, p.randint("hidden1/classes", 2, 6, secret=True))
    return model, p.randn("hidden1/x", batch, features, secret=True)


def model_facts(model: nn.Module, x: torch.Tensor) -> dict[str, Any]:
    """Each submodule's type, whether it holds parameters of its own, and its input's shape."""
    facts: dict[str, Any] = {}
    for name, module in model.named_modules():
        if name:
            own = any(True for _ in module.parameters(recurse=False))
            facts[name] = {"type": type(module).__name__, "own_parameters": own}
            module.register_forward_pre_hook(lambda m, i, name=name: facts[name].update(input=tuple(i[0].shape)))
    model(x)
    return facts


def record_result(p: Probe, key: str, result: Any) -> None:
    """The returned mapping as a plain dict (an OrderedDict or defaultdict is fine), and its type."""
    p.record(f"{key}_type", type_name(result))
    if isinstance(result, dict) and type(result) is not dict:
        result = p.call(key, "reading the dict you returned", lambda: dict(result.items()))
    p.record(key, result)


@exercise.probe
def probe(p: Probe) -> None:
    record = p.require("record_output_shapes")

    # What the public models look like, seen by the probe's own hooks (used to explain mistakes).
    x = p.randn("x", *PUBLIC_INPUT)
    p.record("facts", model_facts(SmallNet(), x))
    p.record("second_facts", model_facts(make_second_model(), p.randn("second_x", *SECOND_INPUT)))

    with p.section():
        model = SmallNet()
        model.head[0].register_forward_hook(lambda module, inputs, output: None)  # the caller's own hook
        p.record("hooks_before", attached_hooks(model))
        result = p.call("shapes", CALLED, record, model, x)
        record_result(p, "shapes", result)
        p.record("hooks_after_one", attached_hooks(model))
        p.call("hooks_after_two", f"{CALLED} a second time", record, model, x)
        p.record("hooks_after_two", attached_hooks(model))
        p.call("shapes_later", "model(x) on another batch size, after your function returned", model, x[:1])
        record_result(p, "shapes_later", result)

    with p.section():
        model = SmallNet()
        calls = []
        model.register_forward_pre_hook(lambda module, inputs: calls.append(1))
        p.record("error_hooks_before", attached_hooks(model))
        bad = p.randn("bad_x", 2, 3, 10, 10)  # 3 channels for a 1-channel conv: model(x) raises
        p.expect_error("error_raised", CALLED, record, model, bad)
        p.record("error_model_ran", len(calls))
        p.record("error_hooks_after", attached_hooks(model))

    with p.section():
        model = make_second_model()
        result = p.call(
            "second",
            "record_output_shapes(model, x) on a second model",
            record,
            model,
            p.randn("second_x", *SECOND_INPUT),
        )
        record_result(p, "second", result)

    if p.hidden:
        for i in range(HIDDEN_MODELS):
            with p.section():
                model, hidden_x = hidden_model(p, i)
                result = p.call(
                    f"hidden{i}", "record_output_shapes(model, x) on a hidden model", record, model, hidden_x
                )
                record_result(p, f"hidden{i}", result)


# -- reading what came back ---------------------------------------------------------------


def as_shapes(value: Any) -> dict[str, Any] | None:
    """The student's dict with shape-like values as tuples; None if it is not a dict."""
    if not is_mapping(value):
        return None
    return {
        key: tuple(item) if isinstance(item, list | tuple) and all(type(n) is int for n in item) else item
        for key, item in value.items()
    }


def not_a_dict(s: Observations, key: str, called: str) -> Verdict:
    return fail(
        f"Called {called}: yours returned {describe(s[key])} (a {s.get(key + '_type')}); "
        "the reference returns a dict of {name: shape}.",
        "Build a dict in the function and `return` it after model(x) has run.",
    )


def diagnose_names(yours: set[str], reference: set[str], facts: dict[str, Any]) -> str:
    """The likely mistake behind a wrong set of names."""
    missing, extra = reference - yours, yours - reference
    if not yours:
        return (
            "Your dict is empty: did the hooks get attached before model(x) ran, and do they write into the "
            "dict you return?"
        )
    if len(yours) == 1 and yours <= reference and len(reference) > 1:
        return (
            f"Every hook wrote under the same name ({next(iter(yours))!r}): a hook made in a loop with "
            "`lambda m, i, o: shapes.__setitem__(name, ...)` reads `name` when it runs, after the loop has "
            "ended. Bind it when you make the hook: a helper `recorder(name)` that returns the hook, or "
            "`lambda m, i, o, name=name: ...`."
        )
    if "" in extra:
        return 'Skip the root: named_modules() yields the model itself first, under the name "".'
    if extra and all(name.isidentifier() and name[0].isupper() for name in extra):
        return (
            "Your keys are class names; two ReLUs then share one key. Use the qualified names that "
            "`model.named_modules()` yields with each module: 'features.0', 'head.3', ..."
        )
    if any("(" in name for name in extra):
        return (
            "Your keys are modules (or their text), not names. Loop over `model.named_modules()`, which "
            "yields (name, module) pairs, and use the name."
        )
    containers = {name for name, fact in facts.items() if fact["type"] in ("Sequential", "ModuleList", "ModuleDict")}
    if missing and missing <= containers:
        return (
            "Containers are modules too: an nn.Sequential runs and returns an output (its last layer's), "
            "so it gets an entry of its own. Hook every module named_modules() yields except the root."
        )
    if missing and all("." in name for name in missing) and not any("." in name for name in yours):
        return (
            "You recorded only the model's direct children: named_children() (or children()) stops at the "
            "first level. named_modules() walks the whole tree, with names like 'features.0'."
        )
    if missing and all(not facts[name]["own_parameters"] for name in missing if name in facts):
        return (
            "You recorded only modules that hold parameters. ReLU, MaxPool2d, Tanh, Flatten and Dropout have no "
            "weights (and a container holds none of its own), but each is a module with an output: hook every "
            "module of named_modules() except the root."
        )
    return "Hook every module that model.named_modules() yields, except the root, under the name it comes with."


@exercise.check(points=3, concept="forward", needs=("shapes", "facts"))
def names(s: Observations, r: Observations) -> Verdict:
    """The dict has one entry per submodule, under its qualified name"""
    yours_dict = as_shapes(s["shapes"])
    if yours_dict is None:
        return not_a_dict(s, "shapes", CALLED)
    yours, reference = set(yours_dict), set(r["shapes"])
    if yours == reference:
        return ok(f"Called {CALLED}: your dict names all {len(reference)} submodules, as the reference's does.")
    missing, extra = reference - yours, yours - reference
    keys = f"the keys {listed(sorted(yours), 8)}" if yours else "no keys"
    parts = [f"Called {CALLED} with {MODEL_TEXT}: your dict has {keys}"]
    parts.append(f"the reference's has {listed(sorted(reference), 12)}")
    if missing:
        parts.append(f"yours lacks {listed(sorted(missing), 8)}")
    if extra:
        parts.append(f"yours has {listed(sorted(extra), 8)}, which the reference's has not")
    return fail("; ".join(parts) + ".", diagnose_names(yours, reference, r["facts"]))


@exercise.check(points=2, concept="forward", needs=("shapes", "facts"))
def shapes(s: Observations, r: Observations) -> Verdict:
    """Each recorded shape is the shape of that module's output"""
    yours_dict = as_shapes(s["shapes"])
    if yours_dict is None:
        return not_a_dict(s, "shapes", CALLED)
    common = [name for name in r["shapes"] if name in yours_dict]
    if not common:
        return fail(
            f"Called {CALLED}: none of your keys is a name the reference records "
            f"({listed(sorted(r['shapes']), 4)}), so no shape could be compared.",
            "See the check on names first.",
        )
    wrong = [name for name in common if yours_dict[name] != tuple(r["shapes"][name])]
    if not wrong:
        return ok(f"Called {CALLED}: the shapes of all {len(common)} modules you recorded are right.")
    first = wrong[0]
    yours_value, reference_value = yours_dict[first], tuple(r["shapes"][first])
    shown = shape_text(yours_value) if isinstance(yours_value, tuple) else describe(yours_value)
    message = (
        f"Called {CALLED} with {MODEL_TEXT}: {len(wrong)} of your {len(common)} shapes differ from the "
        f"reference's; for {first!r} yours is {shown}, the reference's {shape_text(reference_value)}."
    )
    facts = r["facts"]
    if all(yours_dict[name] == tuple(facts[name]["input"]) for name in wrong):
        return fail(
            message,
            "You recorded each module's input shape. A forward hook is called as hook(module, inputs, output): "
            "record `tuple(output.shape)`.",
        )
    if isinstance(yours_value, torch.Tensor):
        return fail(message, "Store the shape, `tuple(output.shape)`, not the output tensor itself.")
    return fail(message, "Record `tuple(output.shape)` in the hook, using the `output` argument.")


@exercise.check(points=2, concept="forward", needs=("hooks_before", "hooks_after_one", "hooks_after_two", "shapes"))
def handles_removed(s: Observations, r: Observations) -> Verdict:
    """No hook stays attached after the function returns; the caller's own hooks stay"""
    before, one, two = s["hooks_before"], s["hooks_after_one"], s["hooks_after_two"]
    called = f"{CALLED} twice on a model that carried 1 hook of its own"
    if one == before and two == before:
        return ok(f"Called {called}: the model carries exactly its own hook afterwards; all of yours are removed.")
    if one < before or two < before:
        return fail(
            f"Called {called}: afterwards it carried {min(one, two)} hooks; its own hook is gone.",
            "Remove only the hooks you added, with the handles register_forward_hook returned to you; "
            "do not clear the module's hook dictionaries.",
        )
    grew = f"after one call {one - before} of your hooks were still attached, after two calls {two - before}"
    later = as_shapes(s.get("shapes_later"))
    changed = (
        " The dict your function had returned even changed when we called model(x) again later: your hooks "
        "kept writing into it."
        if later is not None and later != as_shapes(s["shapes"])
        else ""
    )
    modules = len(r["shapes"])
    if one - before < modules:
        hint = (
            "Some handles were removed but not all: a single `handle` variable reassigned in the loop "
            "keeps only the last one. Keep every handle in a list and remove each."
        )
    else:
        hint = (
            "A hook stays attached until its handle's .remove() is called: keep every handle "
            "register_forward_hook returns and remove them all before you return."
        )
    return fail(f"Called {called}: {grew} — the count grows with every call.{changed}", hint)


@exercise.check(
    points=1, concept="forward", needs=("error_raised", "error_model_ran", "error_hooks_before", "error_hooks_after")
)
def handles_removed_on_error(s: Observations, r: Observations) -> Verdict:
    """The hooks are removed even when model(x) raises"""
    before, after = s["error_hooks_before"], s["error_hooks_after"]
    called = f"{CALLED} with an x the model rejects (3 channels into Conv2d(1, ...)), so that model(x) raises"
    if not s["error_model_ran"]:
        raised, message = s["error_raised"]["raised"], s["error_raised"]["message"]
        what = f"raised {raised}" + (f" ({message})" if message else "") if raised else "returned"
        return fail(
            f"Called {called}: your function {what} before it called model(x).",
            "Attach the hooks, then call model(x) once.",
        )
    if after == before:
        return ok(f"Called {called}: no hook of yours was left behind.")
    if after < before:
        return fail(f"Called {called}: afterwards the model carried fewer hooks than before.")
    return fail(
        f"Called {called}: afterwards {after - before} of your hooks were still attached.",
        "Remove the hooks in a `finally:` block (try: model(x) finally: for h in handles: h.remove()), "
        "so they go even when model(x) raises; let the exception propagate.",
    )


def compare_dicts(yours: Any, reference: dict[str, Any]) -> tuple[bool, str]:
    """Whether two {name: shape} dicts agree, and if not, what differs (without names or numbers)."""
    yours_dict = as_shapes(yours)
    if yours_dict is None:
        return False, f"yours returned {describe(yours)}, not a dict"
    reference = {name: tuple(shape) for name, shape in reference.items()}
    missing, extra = set(reference) - set(yours_dict), set(yours_dict) - set(reference)
    wrong = [name for name in reference if name in yours_dict and yours_dict[name] != reference[name]]
    if not (missing or extra or wrong):
        return True, ""
    parts = [
        "some of the reference's names are missing from yours" if missing else "",
        "yours has names the reference's has not" if extra else "",
        "some shapes differ" if wrong else "",
    ]
    return False, ", ".join(part for part in parts if part)


@exercise.check(points=2, concept="forward", needs=("second", "second_facts"))
def second_model(s: Observations, r: Observations) -> Verdict:
    """A call on a second model returns that model's entries only"""
    called = (
        "record_output_shapes(model, x) on a second model, nn.Sequential(Linear(5, 7), Tanh(), Linear(7, 2)) "
        "with x of shape (3, 5), after the calls on SmallNet"
    )
    yours = as_shapes(s["second"])
    reference = {name: tuple(shape) for name, shape in r["second"].items()}
    if yours == reference:
        return ok(f"Called {called}: your dict is {reference}, as expected.")
    if yours is None:
        return not_a_dict(s, "second", called)
    stale = set(yours) - set(reference)
    if stale and stale <= set(r["shapes"]):
        hint = (
            "Your dict still holds the first model's entries: create the dict inside the function, so every "
            "call starts empty (a dict at the top level of the file is shared by all calls)."
        )
    elif set(yours) == set(reference):
        hint = "The names are right; record `tuple(output.shape)`, the shape of each module's output."
    else:
        hint = diagnose_names(set(yours), set(reference), r["second_facts"])
    return fail(f"Called {called}: yours returned {yours}; the reference's is {reference}.", hint)


@exercise.check(points=3, concept="forward", needs=tuple(f"hidden{i}" for i in range(HIDDEN_MODELS)), hidden=True)
def hidden_architectures(s: Observations, r: Observations) -> Verdict:
    """The recorder works on other architectures (ModuleList, ModuleDict, deeper nesting)"""
    called = "record_output_shapes(model, x) on hidden models built with nn.ModuleList and nn.ModuleDict"
    public_right = compare_dicts(s.get("shapes"), r["shapes"])[0]
    hint = (
        "Your dict is right on the public model only. Do not depend on it: hook whatever "
        "model.named_modules() yields (a ModuleList or ModuleDict is never called itself, so it gets no entry; "
        "the modules inside it do)."
        if public_right
        else "Your dict for the public model is wrong too: the public checks' messages name the mistake."
    )
    for i in range(HIDDEN_MODELS):
        agree, difference = compare_dicts(s[f"hidden{i}"], r[f"hidden{i}"])
        if not agree:
            return fail(f"Called {called}: on hidden model {i + 1}, {difference}.", hint)
    return ok(f"Called {called}: your dicts match the reference's.")
