"""ex06 — the module tree: count it, list its parameter-free modules and direct children, replace a node."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from graders.checks import describe, listed, values_match
from graders.probe import Probe
from graders.spec import Exercise, Hint, Observations, Verdict, fail, ok

exercise = Exercise(
    id="ex06_module_tree",
    title="The module tree: children(), modules(), named_modules(), get_submodule()",
    hints=(
        Hint(
            "`model.modules()` yields every module of the tree, each once: the model itself first, then containers, "
            "layers with weights and layers without (ReLU, pooling, Flatten, Dropout). Count what it yields. "
            "(The lecture says it yields only modules with weights; that is wrong.)",
            checks=("count_modules", "hidden_count_modules"),
        ),
        Hint(
            "`named_modules()` gives (name, module) for the whole tree; a module is parameter-free when "
            "`next(module.parameters(), None) is None` (parameters() includes its submodules'). "
            "`named_children()` gives only the first level.",
            checks=("parameter_free_modules", "child_names", "hidden_parameter_free_modules", "hidden_child_names"),
        ),
        Hint(
            "To replace 'features.1': `parent_name, _, child = name.rpartition('.')`, "
            "`parent = model.get_submodule(parent_name)` (the model itself when parent_name is ''), then "
            "`setattr(parent, child, new)`.",
            checks=("replace_nested", "replace_child_of_root", "hidden_replace_module"),
        ),
    ),
    error_hints={
        "object of type 'method' has no len()": (
            "modules and children are methods: call them, and make a list of what they yield, "
            "`len(list(model.modules()))`."
        ),
        "object has no attribute 'module'": "The method is modules(), plural: `model.modules()`.",
        "values to unpack": (
            "A name may have no dot ('head') or several ('blocks.0.act'): split off the last part with "
            "`name.rpartition('.')`, which always gives three parts."
        ),
        "has no attribute `": (
            "get_submodule takes the dotted name as named_modules() spells it; the parent of 'features.1' is "
            "'features', and the parent of 'head' is '' (the model itself)."
        ),
    },
)

PUBLIC_INPUT = (2, 1, 12, 12)
MODEL_TEXT = (
    "model = PublicTree(): features = Sequential(Conv2d(1, 4, 3), ReLU(), MaxPool2d(2), Conv2d(4, 8, 3), ReLU()), "
    "pool = Sequential(AdaptiveAvgPool2d(1), Flatten()), "
    "head = Sequential(Dropout(0.2), Linear(8, 16), ReLU(), Linear(16, 5))"
)
NESTED = "replace_module(model, 'features.1', nn.Tanh())"
TOP = "replace_module(model, 'head', nn.Linear(8, 3))"
HIDDEN_CALLED = "on hidden trees (nn.ModuleList, nn.ModuleDict, other depths)"


class PublicTree(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(4, 8, 3), nn.ReLU())
        self.pool = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten())  # a container without parameters
        self.head = nn.Sequential(nn.Dropout(0.2), nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 5))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.pool(self.features(x)))


class HiddenTree(nn.Module):
    """Blocks in a ModuleList, heads in a ModuleDict, a parameter on the root itself, a
    parameter-free Sequential; the depth and widths come from the secret seed."""

    def __init__(self, features: int, width: int, depth: int, classes: int) -> None:
        super().__init__()
        self.scale = nn.Parameter(torch.ones(1))
        self.stem = nn.Linear(features, width)
        self.act = nn.ReLU()
        self.blocks = nn.ModuleList(
            nn.Sequential(nn.Linear(width, width), nn.GELU(), nn.Dropout(0.1)) for _ in range(depth)
        )
        self.post = nn.Sequential(nn.Identity(), nn.Dropout(0.0))
        self.heads = nn.ModuleDict(
            {"age": nn.Linear(width, 1), "mask": nn.Sequential(nn.Identity(), nn.Linear(width, classes))}
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.act(self.stem(x)) * self.scale
        for block in self.blocks:
            x = x + block(x)
        x = self.post(x)
        return torch.cat([self.heads["age"](x), self.heads["mask"](x)], dim=1)


def tree_facts(model: nn.Module) -> dict[str, Any]:
    """What a model's tree looks like, counted the right ways and the usual wrong ways."""
    named = list(model.named_modules())

    def holds(module: nn.Module, recurse: bool = True) -> bool:
        return any(True for _ in module.parameters(recurse=recurse))

    return {
        "names": [name for name, _ in named],
        "types": [type(module).__name__ for _, module in named],
        "counts": {
            "all": len(named),
            "without_root": len(named) - 1,
            "own_parameters": sum(holds(m, recurse=False) for _, m in named),
            "any_parameters": sum(holds(m) for _, m in named),
            "leaves": sum(not list(m.children()) for _, m in named),
            "children": len(list(model.children())),
            "parameter_tensors": len(list(model.parameters())),
        },
        "free_own": [name for name, m in named if not holds(m, recurse=False)],
        "free_leaves": [name for name, m in named if not holds(m) and not list(m.children())],
    }


def tree_of(model: nn.Module) -> list[tuple[str, str]]:
    return [(name, type(module).__name__) for name, module in model.named_modules()]


def as_list(result: Any) -> Any:
    """Any iterable of names the student returned (list, tuple, set, generator) as a list."""
    if isinstance(result, str | bytes | dict | torch.Tensor | nn.Module) or not hasattr(result, "__iter__"):
        return result
    return list(result)


def hidden_tree(p: Probe) -> tuple[HiddenTree, torch.Tensor, int]:
    features, width = p.randint("tree/features", 3, 8, secret=True), p.randint("tree/width", 4, 10, secret=True)
    depth, classes = p.randint("tree/depth", 2, 4, secret=True), p.randint("tree/classes", 2, 5, secret=True)
    model = HiddenTree(features, width, depth, classes)
    x = p.randn("tree/x", p.randint("tree/batch", 1, 4, secret=True), features, secret=True)
    return model, x, depth


def record_replacement(p: Probe, key: str, model: nn.Module, path: str, x: torch.Tensor) -> None:
    """What the tree looks like after a replacement, and what it computes."""
    p.record(f"{key}_tree", p.call(f"{key}_tree", "model.named_modules()", tree_of, model))
    p.record(f"{key}_children", [name for name, _ in model.named_children()])
    found = p.call(f"{key}_type", f"model.get_submodule({path!r})", model.get_submodule, path)
    p.record(f"{key}_type", type(found).__name__)
    p.fill_parameters(model, name=key)
    model.eval()
    with torch.no_grad():
        p.observe(f"{key}_output", "model(x), after the replacement", model, x)


@exercise.probe
def probe(p: Probe) -> None:
    p.record("facts", tree_facts(PublicTree()))
    x = p.randn("x", *PUBLIC_INPUT)

    with p.section():
        function = p.require("count_modules", key="count", fatal=False)
        p.observe("count", "count_modules(model)", function, PublicTree())
    with p.section():
        function = p.require("parameter_free_modules", key="free", fatal=False)
        p.record("free", p.call("free", "parameter_free_modules(model)", lambda: as_list(function(PublicTree()))))
    with p.section():
        function = p.require("child_names", key="children", fatal=False)
        p.record("children", p.call("children", "child_names(model)", lambda: as_list(function(PublicTree()))))
    with p.section():
        replace, model = p.require("replace_module", key="nested", fatal=False), PublicTree()
        p.observe("nested", NESTED, replace, model, "features.1", nn.Tanh())
        record_replacement(p, "nested", model, "features.1", x)
    with p.section():
        replace, model = p.require("replace_module", key="top", fatal=False), PublicTree()
        p.observe("top", TOP, replace, model, "head", nn.Linear(8, 3))
        record_replacement(p, "top", model, "head", x)

    if p.hidden:
        hidden_probe(p)


def hidden_probe(p: Probe) -> None:
    model, _, _ = hidden_tree(p)
    p.record("hidden_facts", tree_facts(model))
    with p.section():
        function = p.require("count_modules", key="hidden_count", fatal=False)
        p.observe("hidden_count", "count_modules(model) on a hidden tree", function, hidden_tree(p)[0])
    with p.section():
        function = p.require("parameter_free_modules", key="hidden_free", fatal=False)
        called = "parameter_free_modules(model) on a hidden tree"
        p.record("hidden_free", p.call("hidden_free", called, lambda: as_list(function(hidden_tree(p)[0]))))
    with p.section():
        function = p.require("child_names", key="hidden_children", fatal=False)
        called = "child_names(model) on a hidden tree"
        p.record("hidden_children", p.call("hidden_children", called, lambda: as_list(function(hidden_tree(p)[0]))))
    with p.section():
        replace = p.require("replace_module", key="hidden_replace", fatal=False)
        model, x, depth = hidden_tree(p)
        block = p.randint("tree/replaced_block", 0, depth - 1, secret=True)
        width, classes = model.stem.out_features, model.heads["mask"][1].out_features
        called = "replace_module on a hidden tree"
        p.call("hidden_replace", called, replace, model, f"blocks.{block}.1", nn.Tanh())
        p.call("hidden_replace", called, replace, model, "heads.mask.1", nn.Linear(width, classes))
        p.call("hidden_replace", called, replace, model, "act", nn.LeakyReLU(0.1))
        p.record("hidden_replace", True)
        record_replacement(p, "hidden_replace", model, "act", x)


# -- checks --------------------------------------------------------------------------------


def is_name_list(value: Any) -> bool:
    return isinstance(value, list | tuple) and all(isinstance(item, str) for item in value)


def wrong_kind(called: str, value: Any) -> Verdict:
    return fail(
        f"Called {called}: yours returned {describe(value)}; the reference returns a list of names (strings).",
        "Return a list such as `[name for name, module in model.named_modules() if ...]`.",
    )


COUNT_DIAGNOSES = {
    "without_root": "You left out the root: modules() yields the model itself first.",
    "own_parameters": (
        "You counted only the modules that hold weights — the lecture's claim, which is wrong: modules() also "
        "yields the root, the containers, and layers without parameters (ReLU, MaxPool2d, Flatten, Dropout)."
    ),
    "any_parameters": (
        "You counted only modules with parameters: modules() also yields layers without any (ReLU, MaxPool2d, "
        "Flatten, Dropout) and containers made only of such layers."
    ),
    "leaves": "You counted only the leaves: modules() also yields the root and the containers (each Sequential).",
    "children": "You counted the direct children only: modules() walks the whole tree, the root included.",
    "parameter_tensors": "You counted parameter tensors, not modules: count what model.modules() yields.",
}


def diagnose_count(yours: Any, counts: dict[str, int]) -> str:
    for kind, hint in COUNT_DIAGNOSES.items():
        if yours == counts[kind] and counts[kind] != counts["all"]:
            return hint
    return "Count what model.modules() yields: the root, every container and every layer, each once."


@exercise.check(points=3, concept="tree", needs=("count", "facts"))
def count_modules(s: Observations, r: Observations) -> Verdict:
    """count_modules(model) counts every module: the root and parameter-less modules included"""
    yours, reference = s["count"], r["count"]
    called = f"count_modules(model) with {MODEL_TEXT}"
    if isinstance(yours, int | float) and not isinstance(yours, bool) and yours == reference:
        return ok(f"Called count_modules(model): yours returned {reference}, as expected.")
    return fail(
        f"Called {called}: yours returned {describe(yours)}; the reference returns {reference}.",
        diagnose_count(yours, r["facts"]["counts"]),
    )


def diagnose_free(yours: list[str], facts: dict[str, Any]) -> str:
    if sorted(yours) == sorted(facts["free_own"]):
        return (
            "You tested each module's own parameters (recurse=False), so the root and containers such as "
            "'features' look empty. Use module.parameters(), which includes its submodules': a container is "
            "parameter-free only if everything in it is."
        )
    if sorted(yours) == sorted(facts["free_leaves"]):
        return (
            "Containers count too: 'pool' is a Sequential whose layers hold no parameters, so it holds none itself. "
            "Test every module that named_modules() yields."
        )
    if not yours:
        return (
            "Your list is empty. Names from named_parameters() only ever name modules with weights; walk "
            "named_modules() and keep the modules whose parameters() yields nothing."
        )
    if "" in yours:
        return "The root (name '') holds the model's parameters, so it is not parameter-free."
    return "Keep each (name, module) of named_modules() for which `next(module.parameters(), None) is None`."


@exercise.check(points=2, concept="tree", needs=("free", "facts"))
def parameter_free_modules(s: Observations, r: Observations) -> Verdict:
    """parameter_free_modules(model) names the modules that hold no parameters"""
    yours, reference = s["free"], r["free"]
    called = f"parameter_free_modules(model) with {MODEL_TEXT}"
    if not is_name_list(yours):
        return wrong_kind(called, yours)
    if sorted(yours) == sorted(reference):
        return ok(f"Called parameter_free_modules(model): yours returned {listed(reference, None)}, as expected.")
    return fail(
        f"Called {called}: yours returned {listed(yours, 16, empty='no names')}; the reference returns "
        f"{listed(reference, None)} (in any order).",
        diagnose_free(list(yours), r["facts"]),
    )


def diagnose_children(yours: list[str], reference: list[str], facts: dict[str, Any]) -> str:
    if sorted(yours) == sorted(reference):
        return "Keep the order in which named_children() gives them (the order they were assigned)."
    if set(yours) >= set(reference) and len(yours) > len(reference):
        return (
            "named_modules() (or modules()) walks the whole tree, root included; named_children() gives only the "
            "first level below the model."
        )
    if set(yours) & set(facts["types"]):
        return "Return the children's names (as named_children() gives them), not their class names."
    return "Return `[name for name, _ in model.named_children()]`."


@exercise.check(points=2, concept="tree", needs=("children", "facts"))
def child_names(s: Observations, r: Observations) -> Verdict:
    """child_names(model) lists the direct children's names, in order"""
    yours, reference = s["children"], r["children"]
    called = f"child_names(model) with {MODEL_TEXT}"
    if not is_name_list(yours):
        return wrong_kind(called, yours)
    if list(yours) == list(reference):
        return ok(f"Called child_names(model): yours returned {listed(reference, None)}, as expected.")
    return fail(
        f"Called {called}: yours returned {listed(yours, 16, empty='no names')}; the reference returns "
        f"{listed(reference, None)}, in this order.",
        diagnose_children(list(yours), list(reference), r["facts"]),
    )


def replacement_check(key: str, called: str, path: str) -> Callable[[Observations, Observations], Verdict]:
    def judge(s: Observations, r: Observations) -> Verdict:
        tree, reference_tree = [tuple(item) for item in s[f"{key}_tree"]], [tuple(i) for i in r[f"{key}_tree"]]
        where = f"Called {called} on {MODEL_TEXT}, then model.get_submodule({path!r})"
        parent, _, child = path.rpartition(".")
        if s[f"{key}_type"] != r[f"{key}_type"]:
            found = f"{where}: yours is still a {s[f'{key}_type']}; the reference's is a {r[f'{key}_type']}."
            if "." in path and path in s[f"{key}_children"]:
                return fail(
                    found + f" Your model gained a child named {path!r} instead.",
                    f"setattr(model, {path!r}, new) adds a new child of the root whose name contains a dot; the "
                    f"old module stays where it was. Get the parent with model.get_submodule({parent!r}) and set "
                    f"{child!r} on it.",
                )
            return fail(
                found,
                "Nothing in the model changed: assigning to a local variable (`layer = new`) only rebinds that name. "
                "Set the new module as an attribute of its parent module with setattr(parent, child_name, new).",
            )
        if tree != reference_tree:
            extra = [name for name, _ in tree if name not in {n for n, _ in reference_tree}]
            return fail(
                f"{where}: it is right, but your tree has other modules than the reference's"
                + (f" (yours has {listed(extra)} too)." if extra else "."),
                "Replace the module in place without adding or removing others.",
            )
        if not values_match(s[f"{key}_output"], r[f"{key}_output"]):
            return fail(
                f"Called {called}, then model(x) in eval mode: your output differs from the reference's.",
                "model(x) should run the new module where the old one was.",
            )
        return ok(f"Called {called}: the new module sits at {path!r} and model(x) uses it.")

    return judge


exercise.check(
    points=2,
    concept="tree",
    needs=("nested", "nested_tree"),
    id="replace_nested",
    title="replace_module replaces a nested module ('features.1') in place",
)(replacement_check("nested", NESTED, "features.1"))
exercise.check(
    points=1,
    concept="tree",
    needs=("top", "top_tree"),
    id="replace_child_of_root",
    title="replace_module replaces a child of the root ('head'), a name without a dot",
)(replacement_check("top", TOP, "head"))


# -- hidden checks: the same functions on other trees ---------------------------------------


def public_right(s: Observations, check: Callable[[Observations, Observations], Verdict], r: Observations) -> str:
    """Where the student stands on the public tree, as a hint for a hidden failure."""
    try:
        passed = check(s, r).passed
    except (KeyError, TypeError):
        passed = False
    if passed:
        return (
            "Right on the public tree only: do not depend on its names or size; walk whatever tree you are given "
            "(ModuleList and ModuleDict entries, deeper nesting, parameters on the root itself)."
        )
    return "The public check on this function fails too: its message names the mistake."


@exercise.check(points=1, concept="tree", needs=("hidden_count", "hidden_facts"), hidden=True)
def hidden_count_modules(s: Observations, r: Observations) -> Verdict:
    """count_modules works on other trees"""
    called = f"count_modules(model) {HIDDEN_CALLED}"
    if s["hidden_count"] == r["hidden_count"] and not isinstance(s["hidden_count"], bool):
        return ok(f"Called {called}: your counts match the reference's.")
    return fail(f"Called {called}: your count differs from the reference's.", public_right(s, count_modules, r))


@exercise.check(points=1, concept="tree", needs=("hidden_free", "hidden_facts"), hidden=True)
def hidden_parameter_free_modules(s: Observations, r: Observations) -> Verdict:
    """parameter_free_modules works on other trees"""
    called = f"parameter_free_modules(model) {HIDDEN_CALLED}"
    yours = s["hidden_free"]
    if is_name_list(yours) and sorted(yours) == sorted(r["hidden_free"]):
        return ok(f"Called {called}: your names match the reference's.")
    return fail(f"Called {called}: your names differ from the reference's.", public_right(s, parameter_free_modules, r))


@exercise.check(points=1, concept="tree", needs=("hidden_children", "hidden_facts"), hidden=True)
def hidden_child_names(s: Observations, r: Observations) -> Verdict:
    """child_names works on other trees"""
    called = f"child_names(model) {HIDDEN_CALLED}"
    yours = s["hidden_children"]
    if is_name_list(yours) and list(yours) == list(r["hidden_children"]):
        return ok(f"Called {called}: your names match the reference's.")
    return fail(f"Called {called}: your names differ from the reference's.", public_right(s, child_names, r))


@exercise.check(points=1, concept="tree", needs=("hidden_replace", "hidden_replace_tree"), hidden=True)
def hidden_replace_module(s: Observations, r: Observations) -> Verdict:
    """replace_module works on deeper names, in ModuleList and ModuleDict entries"""
    called = "replace_module(model, name, new) on a hidden tree, for names in a ModuleList, a ModuleDict and the root"
    same_tree = [tuple(i) for i in s["hidden_replace_tree"]] == [tuple(i) for i in r["hidden_replace_tree"]]
    if same_tree and values_match(s["hidden_replace_output"], r["hidden_replace_output"]):
        return ok(f"Called {called}: your model matches the reference's afterwards.")
    try:
        public = replacement_check("nested", NESTED, "features.1")(s, r).passed
    except (KeyError, TypeError):
        public = False
    hint = (
        "Names can be deeper than two parts ('blocks.0.1') or have none ('act'): take the parent from "
        "everything before the last dot, `name.rpartition('.')`."
        if public
        else "The public check on replace_module fails too: its message names the mistake."
    )
    return fail(f"Called {called}: your model differs from the reference's afterwards.", hint)
