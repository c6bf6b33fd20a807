"""ex06 — the module tree: count it, list its parameter-free modules and direct children, replace a node."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from graders.checks import describe, listed, recognised, values_match
from graders.i18n import N_, Phrase, _
from graders.probe import Probe, repeated_modules
from graders.spec import Claim, Exercise, Hint, Observations, Verdict, fail, ok

exercise = Exercise(
    id="ex06_module_tree",
    title=N_("The module tree: children(), modules(), named_modules(), get_submodule()"),
    hints=(
        Hint(
            N_(
                "`modules()` yields every module of the tree once: the model itself first, then containers, layers "
                "with weights and layers without (ReLU, pooling, Flatten, Dropout). The number of modules is the "
                "number of things it yields. (The lecture says it yields only modules with weights; that is wrong.)"
            ),
            checks=("count_modules", "hidden_count_modules"),
        ),
        Hint(
            N_(
                '`named_modules()` gives (name, module) for the whole tree, the root under "". A module is '
                "parameter-free when its parameters() yields nothing at all; parameters() includes its submodules', "
                "frozen ones too, and never buffers."
            ),
            checks=("parameter_free_modules", "hidden_parameter_free_modules"),
        ),
        Hint(
            N_(
                "`named_children()` gives the first level below the model only, in the order the children were "
                "assigned; keep that order."
            ),
            checks=("child_names", "hidden_child_names"),
        ),
        Hint(
            N_(
                "A module is replaced by setting the new one as an attribute of its parent module, under the last part "
                "of the dotted name. The parent is what get_submodule finds for everything before the last dot (the "
                "model itself when there is no dot); the part after it may be '0' in a Sequential or a key of a "
                "ModuleDict."
            ),
            checks=("replace_nested", "replace_child_of_root", "hidden_replace_module"),
        ),
    ),
    error_hints={
        "object of type 'method' has no len()": (
            N_("modules and children are methods: call them, and make a list of what they yield.")
        ),
        "object has no attribute 'module'": N_("The method is modules(), plural."),
        "values to unpack": (
            N_("A name may have no dot ('head') or several ('blocks.0.act'): split off only the last part.")
        ),
        "has no attribute `": (
            N_(
                "get_submodule takes the dotted name as named_modules() spells it; the parent of 'features.1' is "
                "'features', and the parent of 'head' is '' (the model itself)."
            )
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
HIDDEN_TREES = N_(
    "on hidden trees (an nn.ModuleList, Sequentials inside an nn.ModuleDict, a module in two places, a frozen "
    "layer, a BatchNorm without parameters, a model without any parameters)"
)


class PublicTree(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(4, 8, 3), nn.ReLU())
        self.pool = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten())  # a container without parameters
        self.head = nn.Sequential(nn.Dropout(0.2), nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 5))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.pool(self.features(x)))


# -- what the probe observes ------------------------------------------------------------------


def tree_of(model: nn.Module) -> list[tuple[str, str]]:
    return [(name, type(module).__name__) for name, module in model.named_modules()]


def tree_facts(model: nn.Module) -> dict[str, Any]:
    """What a model's tree looks like when counted or listed the usual wrong ways (the checks derive
    the rest from the reference's answers), and the names under which a module sits a second time."""
    named = list(model.named_modules())

    def leaf(module: nn.Module) -> bool:
        return not any(True for _child in module.children())

    def holds(module: nn.Module, recurse: bool) -> bool:
        return any(True for _parameter in module.parameters(recurse=recurse))

    return {
        "types": [type(module).__name__ for _name, module in named],
        "counts": {
            "own_parameters": sum(holds(m, recurse=False) for _name, m in named),
            "any_parameters": sum(holds(m, recurse=True) for _name, m in named),
            "leaves": sum(leaf(m) for _name, m in named),
            "children": len(list(model.children())),
            "parameter_tensors": len(list(model.parameters())),
        },
        "free": {
            "own": [name for name, m in named if not holds(m, recurse=False)],
            "leaves": [name for name, m in named if leaf(m) and not holds(m, recurse=True)],
            "untrainable": [name for name, m in named if not any(t.requires_grad for t in m.parameters())],
            "empty_state": [name for name, m in named if not m.state_dict()],
        },
        "again": repeated_modules(model),  # {a second name of a module: its first name}
    }


def as_list(result: Any) -> Any:
    """Any iterable of names the student returned (list, tuple, set, generator) as a list."""
    if isinstance(result, str | bytes | dict | torch.Tensor | nn.Module) or not hasattr(result, "__iter__"):
        return result
    return list(result)


def places(model: nn.Module, module: nn.Module) -> list[str]:
    """Every name under which ``module`` sits in the tree (a shared module sits under several)."""
    return [name for name, other in model.named_modules(remove_duplicate=False) if other is module]


def look(model: nn.Module, path: str, new: nn.Module, old_at: list[str]) -> dict[str, Any]:
    """What sits at ``path`` after a replacement, whether it is ``new`` itself, where ``new`` sits, and
    where the module it replaces sat before (``old_at``)."""
    try:
        found: nn.Module | None = model.get_submodule(path)
    except AttributeError:
        found = None
    return {
        "path": path,
        "found": type(found).__name__ if found is not None else None,
        "is_new": found is new,
        "new_at": places(model, new),
        "old_at": old_at,
    }


def dotted_children(model: nn.Module) -> list[tuple[str, str]]:
    """(parent, child name) for every child registered under a name that holds a dot itself."""
    return [
        (parent_name, child_name)
        for parent_name, parent in model.named_modules()
        for child_name, _child in parent.named_children()
        if "." in child_name
    ]


def replace_and_record(
    p: Probe,
    key: str,
    model: nn.Module,
    replacements: list[tuple[str, nn.Module]],
    x: torch.Tensor,
    called: str | Phrase,
) -> None:
    """Run the student's replace_module for each (path, new) in turn, then record the tree before and
    after, where each new module sits, what the function returned, and model(x) in eval mode."""
    replace = p.require("replace_module", key=key, fatal=False)
    before = tree_of(model)
    old_at = [places(model, model.get_submodule(path)) for path, _new in replacements]
    returned = [p.call(key, called, replace, model, path, new) for path, new in replacements]

    def afterwards() -> dict[str, Any]:
        return {
            "before": before,
            "after": tree_of(model),
            "dotted": dotted_children(model),
            "replaced": [look(model, path, new, at) for (path, new), at in zip(replacements, old_at, strict=True)],
            "returned": [None if value is None else type(value).__name__ for value in returned],
        }

    p.record(key, p.call(key, _("model.named_modules() and model.get_submodule(name), after the call"), afterwards))
    p.call(f"{key}_output", _("loading weights into the model"), p.fill_parameters, model, key)
    for module in model.modules():
        if getattr(module, "track_running_stats", False):
            module.reset_running_stats()  # fill_parameters gave the statistics random values
    model.eval()
    with torch.no_grad():
        p.observe(f"{key}_output", _("model(x), after the replacement"), model, x)


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
        replace_and_record(p, "nested", PublicTree(), [("features.1", nn.Tanh())], x, NESTED)
    with p.section():
        replace_and_record(p, "top", PublicTree(), [("head", nn.Linear(8, 3))], x, TOP)

    if p.hidden:
        trees = (hidden_tree(p)[0], free_tree(p))
        p.record("hidden_facts", [tree_facts(tree) for tree in trees])
        with p.section():
            function = p.require("count_modules", key="hidden_count", fatal=False)
            called = _("count_modules(model) on hidden trees")
            p.record("hidden_count", [p.call("hidden_count", called, function, tree) for tree in trees])
        with p.section():
            function = p.require("parameter_free_modules", key="hidden_free", fatal=False)
            called = _("parameter_free_modules(model) on hidden trees")
            p.record(
                "hidden_free", [p.call("hidden_free", called, lambda t=tree: as_list(function(t))) for tree in trees]
            )
        with p.section():
            function = p.require("child_names", key="hidden_children", fatal=False)
            called = _("child_names(model) on a hidden tree")
            p.record("hidden_children", p.call("hidden_children", called, lambda: as_list(function(trees[0]))))
        with p.section():
            model, hidden_x, replacements = hidden_tree(p)
            replace_and_record(p, "hidden_replace", model, replacements, hidden_x, _("replace_module on a hidden tree"))


# -- hidden trees ---------------------------------------------------------------------------------


class HiddenTree(nn.Module):
    """A parameter on the root itself; blocks in an nn.ModuleList; a module that sits in two places,
    in two Sequentials; a BatchNorm without parameters (buffers only); a frozen layer; a parameter-free
    Sequential; heads in an nn.ModuleDict, one a Sequential inside a Sequential."""

    def __init__(self, features: int, width: int, depth: int, classes: int) -> None:
        super().__init__()
        self.scale = nn.Parameter(torch.ones(1))
        self.stem = nn.Linear(features, width)
        self.act = nn.ReLU()
        self.blocks = nn.ModuleList(
            nn.Sequential(nn.Linear(width, width), nn.GELU(), nn.Dropout(0.1)) for _block in range(depth)
        )
        shared = nn.Sequential(nn.GELU(), nn.Identity())
        self.refine = nn.Sequential(shared, nn.Dropout(0.1))
        self.norm = nn.BatchNorm1d(width, affine=False)
        self.frozen = nn.Linear(width, width).requires_grad_(False)
        self.post = nn.Sequential(nn.Identity(), nn.Dropout(0.0))
        self.tail = nn.Sequential(shared, nn.Identity())  # named_modules() gives shared once, as refine.0
        self.heads = nn.ModuleDict(
            {
                "age": nn.Linear(width, 1),
                "mask": nn.Sequential(nn.Sequential(nn.Identity(), nn.Linear(width, classes)), nn.Softmax(dim=1)),
            }
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.act(self.stem(x)) * self.scale
        for block in self.blocks:
            x = x + block(x)
        x = x + self.refine(x)
        x = self.tail(self.post(self.frozen(self.norm(x))))
        return torch.cat([self.heads["age"](x), self.heads["mask"](x)], dim=1)


def hidden_tree(p: Probe) -> tuple[HiddenTree, torch.Tensor, list[tuple[str, nn.Module]]]:
    """The hidden tree, an input, and the replacements made in it: a name inside the ModuleList, a
    name four parts deep through the ModuleDict, a child of the root, and the second place of the
    module that sits in two."""
    features, width = p.randint("tree/features", 3, 8, secret=True), p.randint("tree/width", 4, 10, secret=True)
    depth, classes = p.randint("tree/depth", 2, 4, secret=True), p.randint("tree/classes", 2, 5, secret=True)
    model = HiddenTree(features, width, depth, classes)
    x = p.randn("tree/x", p.randint("tree/batch", 2, 4, secret=True), features, secret=True)
    block = p.randint("tree/replaced_block", 0, depth - 1, secret=True)
    replacements = [
        (f"blocks.{block}.1", nn.Tanh()),
        ("heads.mask.0.1", nn.Linear(width, classes)),
        ("act", nn.LeakyReLU(0.1)),
        ("tail.0", nn.Sequential(nn.Tanh(), nn.Identity())),
    ]
    return model, x, replacements


def free_tree(p: Probe) -> nn.Module:
    """A model without any parameters: its root is parameter-free too."""
    repeats = p.randint("free/repeats", 1, 3, secret=True)
    return nn.Sequential(
        nn.Flatten(), *(nn.ReLU() for _repeat in range(repeats)), nn.Sequential(nn.Dropout(0.1), nn.Identity())
    )


# -- checks --------------------------------------------------------------------------------


def is_name_list(value: Any) -> bool:
    return isinstance(value, list | tuple) and all(isinstance(item, str) for item in value)


def is_count(value: Any) -> bool:
    return type(value) is int


def wrong_kind(called: str | Phrase, value: Any) -> Verdict:
    return fail(
        _("Called {called}: yours returned {what}; the reference returns a list of names (strings).").format(
            called=called, what=describe(value)
        )
    )


COUNT_DIAGNOSES = {
    "without_root": N_("Your count is one short of everything modules() yields: the root, the model itself, is first."),
    "own_parameters": N_(
        "Your count is the number of modules that hold weights of their own — the lecture's claim, which is wrong: "
        "modules() also yields the root, the containers, and layers without parameters (ReLU, MaxPool2d, Flatten, "
        "Dropout)."
    ),
    "any_parameters": N_(
        "Your count is the number of modules with parameters: modules() also yields layers without any (ReLU, "
        "MaxPool2d, Flatten, Dropout) and containers made only of such layers."
    ),
    "leaves": N_(
        "Your count is the number of leaves (modules without children): modules() also yields the root and the "
        "containers."
    ),
    "children": N_("Your count is the number of direct children: modules() walks the whole tree, the root included."),
    "parameter_tensors": N_("Your count is the number of parameter tensors, not of modules."),
    "with_duplicates": N_(
        "Your count counts a module that sits in two places of the tree twice: modules() yields each module once."
    ),
}


def diagnose_count(cases: list[tuple[Any, dict[str, Any], int]]) -> str | None:
    """The usual wrong way of counting that gives the student's count of every tree in ``cases``
    ((yours, the tree's facts, the reference's count)), if one does."""

    def ways(facts: dict[str, Any], reference: int) -> dict[str, int]:
        counts = {**facts["counts"], "without_root": reference - 1, "with_duplicates": reference + len(facts["again"])}
        return {kind: counts[kind] for kind in COUNT_DIAGNOSES}

    kind = recognised(
        [(yours, ways(facts, reference), reference) for yours, facts, reference in cases if is_count(yours)]
    )
    return _(COUNT_DIAGNOSES[kind]) if kind else None


@exercise.check(points=3, concept="tree", needs=("count", "facts"))
def count_modules(s: Observations, r: Observations) -> Verdict:
    """count_modules(model) counts every module: the root and parameter-less modules included"""
    yours, reference = s["count"], r["count"]
    if is_count(yours) and yours == reference:
        return ok(_("Called count_modules(model): yours returned {count}, as expected.").format(count=reference))
    called = _("count_modules(model) with {model}").format(model=MODEL_TEXT)
    message = _("Called {called}: yours returned {yours}; the reference returns {reference}.").format(
        called=called, yours=describe(yours), reference=reference
    )
    if yours == reference:
        return fail(
            message
            + _(" The number is right, but it is a {type}: the function returns an int.").format(
                type=type(yours).__name__
            )
        )
    return fail(message, diagnose_count([(yours, r["facts"], reference)]))


FREE_DIAGNOSES = {
    "own": N_(
        "Your list is exactly the modules without parameters of their own (recurse=False), so the root and "
        "containers such as 'features' look empty. A container is parameter-free only if everything in it is: "
        "module.parameters() includes its submodules'."
    ),
    "leaves": N_(
        "Your list is exactly the parameter-free leaves: containers count too, and a Sequential whose layers hold "
        "no parameters ('pool') holds none itself."
    ),
    "without_root": N_(
        'Your list is right but for the root: named_modules() gives the model itself as "", and a model without '
        "any parameters is parameter-free too."
    ),
    "untrainable": N_(
        "Your list also names modules whose parameters are all frozen: a parameter with requires_grad=False is "
        "still a parameter."
    ),
    "empty_state": N_(
        "Your list leaves out modules that hold buffers but no parameters (a BatchNorm without affine weights): "
        "state_dict() holds buffers too; parameters() does not."
    ),
    "with_duplicates": N_(
        "Your list names a module that sits in two places of the tree twice, once per place: named_modules() "
        "gives each module once."
    ),
}


def diagnose_free(cases: list[tuple[Any, dict[str, Any], list[str]]]) -> str | None:
    """The usual wrong way of listing that gives the student's list (in any order) for every tree in
    ``cases`` ((yours, the tree's facts, the reference's list)), if one does."""

    def ways(facts: dict[str, Any], reference: list[str]) -> dict[str, list[str]]:
        free = {
            **facts["free"],
            "without_root": [name for name in reference if name],
            "with_duplicates": [*reference, *(name for name, first in facts["again"].items() if first in reference)],
        }
        return {kind: sorted(free[kind]) for kind in FREE_DIAGNOSES}

    kind = recognised(
        [
            (sorted(yours), ways(facts, reference), sorted(reference))
            for yours, facts, reference in cases
            if is_name_list(yours)
        ]
    )
    return _(FREE_DIAGNOSES[kind]) if kind else None


@exercise.check(points=2, concept="tree", needs=("free", "facts"))
def parameter_free_modules(s: Observations, r: Observations) -> Verdict:
    """parameter_free_modules(model) names the modules that hold no parameters"""
    yours, reference = s["free"], r["free"]
    called = _("parameter_free_modules(model) with {model}").format(model=MODEL_TEXT)
    if not is_name_list(yours):
        return wrong_kind(called, yours)
    if sorted(yours) == sorted(reference):
        return ok(
            _("Called parameter_free_modules(model): yours returned {names}, as expected.").format(
                names=listed(reference, None)
            )
        )
    return fail(
        _("Called {called}: yours returned {yours}; the reference returns {reference} (in any order).").format(
            called=called, yours=listed(yours, 16, empty=_("no names")), reference=listed(reference, None)
        ),
        diagnose_free([(yours, r["facts"], reference)]),
    )


def diagnose_children(yours: list[str], reference: list[str], types: list[str]) -> str | None:
    if sorted(yours) == sorted(reference):
        return _(
            "Your names are the right ones in another order: named_children() gives them in the order they were "
            "assigned."
        )
    if set(yours) > set(reference):
        return _(
            "Your list holds the direct children and more: named_modules() (or modules()) walks the whole tree, the "
            "root included; named_children() gives only the first level below the model."
        )
    if set(yours) & set(types):
        return _("Your list holds class names: a child's name is the attribute it is stored under.")
    return None


@exercise.check(points=2, concept="tree", needs=("children", "facts"))
def child_names(s: Observations, r: Observations) -> Verdict:
    """child_names(model) lists the direct children's names, in order"""
    yours, reference = s["children"], r["children"]
    called = _("child_names(model) with {model}").format(model=MODEL_TEXT)
    if not is_name_list(yours):
        return wrong_kind(called, yours)
    if list(yours) == list(reference):
        return ok(
            _("Called child_names(model): yours returned {names}, as expected.").format(names=listed(reference, None))
        )
    return fail(
        _("Called {called}: yours returned {yours}; the reference returns {reference}, in this order.").format(
            called=called, yours=listed(yours, 16, empty=_("no names")), reference=listed(reference, None)
        ),
        diagnose_children(list(yours), list(reference), r["facts"]["types"]),
    )


# -- replace_module: what the tree looks like afterwards ------------------------------------------

DOTTED_HINT = N_(
    "setattr with a dotted name does not walk the path: it registers one new child whose own name holds the dot, "
    "and leaves the old module where it was. Set only the last part of the name, on the parent module."
)
NOTHING_CHANGED_HINT = N_(
    "Only setting an attribute of a module in the tree changes the tree: the new module goes on the parent, under "
    "the last part of the name."
)


def listing(items: list[tuple[str, str]]) -> str:
    """(name, type) pairs of a tree in a sentence: ``features.1: Tanh, features.2: MaxPool2d``."""
    return listed((f"{name}: {kind}" for name, kind in items), 6, quote="")


def replacement_verdict(
    called: str | Phrase, yours: dict[str, Any], reference: dict[str, Any], output_matches: bool, hidden: bool
) -> Verdict:
    """What replace_module did to the tree, judged against the reference's, by what the tree shows
    (``hidden``: without names or types)."""
    before = [tuple(item) for item in yours["before"]]
    after, expected = [tuple(item) for item in yours["after"]], [tuple(item) for item in reference["after"]]
    placed = all(item["is_new"] for item in yours["replaced"])
    if placed and after == expected and output_matches:
        return ok(
            _("Called {called}: the new module sits where the old one was, and model(x) uses it.").format(called=called)
        )
    if after == before and not any(item["new_at"] for item in yours["replaced"]):
        returned = next((kind for kind in yours["returned"] if kind is not None), None)
        if returned is not None:
            return fail(
                _(
                    "Called {called}: your function returned a {type} and left the model it was given as it was; the "
                    "reference changes that model in place and returns None."
                ).format(called=called, type=_("model") if hidden else returned),
                _("The caller keeps using the model it passed in, not what you return: change that model."),
            )
        return fail(
            _(
                "Called {called}: nothing in your model changed. Its modules are those it had before the call, and "
                "the new module is nowhere in it."
            ).format(called=called),
            _(NOTHING_CHANGED_HINT),
        )
    if yours["dotted"]:
        parent, child = yours["dotted"][0]
        if hidden:
            message = _("Called {called}: your model gained a child registered under a name that holds a dot.")
        else:
            message = _(
                "Called {called}: your model gained a child registered under the name {child!r} on {parent}, and "
                "get_submodule({path!r}) still finds the old {found}."
            )
        return fail(
            message.format(
                called=called,
                child=child,
                parent=repr(parent) if parent else _("the model itself"),
                path=yours["replaced"][0]["path"],
                found=yours["replaced"][0]["found"],
            ),
            _(DOTTED_HINT),
        )
    for mine, theirs in zip(yours["replaced"], reference["replaced"], strict=True):
        if mine["is_new"]:
            continue
        if mine["new_at"]:
            message = (
                _("Called {called}: the new module sits elsewhere in the tree than the name it was given for.")
                if hidden
                else _(
                    "Called {called}: the new module sits at {at}, not at {path!r}; get_submodule({path!r}) is a "
                    "{found}."
                )
            )
            hint = (
                _(
                    "The module the name leads to sat in more than one place of the tree, and yours replaced it in "
                    "another place than the name's: follow the name's parts to the parent, rather than looking for "
                    "the module."
                )
                if set(mine["new_at"]) <= set(mine["old_at"])
                else None
            )
            return fail(
                message.format(called=called, at=listed(mine["new_at"]), path=mine["path"], found=mine["found"]), hint
            )
        if mine["found"] == theirs["found"]:
            return fail(
                _(
                    "Called {called}: the module at the name is of the new module's class, but not the module you were "
                    "given (`model.get_submodule(name) is new` gives False): a copy, or another module of that class."
                ).format(called=called),
                _(
                    "Put the very object you were given into the tree: the caller holds it and expects the model to "
                    "use it."
                ),
            )
        message = (
            _("Called {called}: the name still leads to the old module.")
            if hidden
            else _(
                "Called {called}, then model.get_submodule({path!r}): yours is a {found}; the reference's is a {type}."
            )
        )
        return fail(message.format(called=called, path=mine["path"], found=mine["found"], type=theirs["found"]))
    if after != expected:
        return fail(*tree_difference(called, after, expected, yours, hidden))
    return fail(
        _(
            "Called {called}, then model(x) in eval mode: the tree is the reference's, but your output differs from "
            "the reference's."
        ).format(called=called)
    )


def siblings(tree: list[tuple[str, str]], path: str) -> list[str]:
    """The names of the children of ``path``'s parent, in the tree's order."""
    parent = path.rpartition(".")[0]
    return [name for name, _kind in tree if name and name.rpartition(".")[0] == parent]


def tree_difference(
    called: str | Phrase,
    after: list[tuple[str, str]],
    expected: list[tuple[str, str]],
    yours: dict[str, Any],
    hidden: bool,
) -> tuple[str, str | None]:
    """A message, and a hint, for a tree whose new modules are in place but that differs otherwise."""
    if sorted(after) == sorted(expected):
        path = next(
            item["path"]
            for item in yours["replaced"]
            if siblings(after, item["path"]) != siblings(expected, item["path"])
        )
        moved = siblings(after, path)[-1:] == [path] != siblings(expected, path)[-1:]
        if hidden:
            message = _("Called {called}: your tree holds the reference's modules, but in another order.")
        else:
            message = _(
                "Called {called}: your tree holds the reference's modules, but in another order: the children of "
                "{parent} come as {yours} in yours, as {reference} in the reference's."
            )
        message = message.format(
            called=called,
            parent=repr(path.rpartition(".")[0]) if "." in path else _("the model"),
            yours=listed(siblings(after, path), None),
            reference=listed(siblings(expected, path), None),
        )
        hint = (
            _(
                "The new module is the last of its parent's children: a child removed and added again goes to the end, "
                "so forward meets it last. Setting it under the existing name keeps its place."
            )
            if moved
            else None
        )
        return message, hint
    extra = [item for item in after if item not in expected]
    missing = [item for item in expected if item not in after]
    if hidden:
        return _("Called {called}: your tree has other modules than the reference's afterwards.").format(
            called=called
        ), None
    parts = [_("yours also has {items}").format(items=listing(extra))] if extra else []
    parts += [_("yours lacks {items}").format(items=listing(missing))] if missing else []
    return (
        _(
            "Called {called}: the new module is in place, but your tree has other modules than the reference's: "
            "{parts}."
        ).format(called=called, parts="; ".join(parts)),
        _("Replace the one module in place, without adding or removing others."),
    )


def replacement_check(key: str, called: str | Phrase) -> Callable[[Observations, Observations], Verdict]:
    def judge(s: Observations, r: Observations) -> Verdict:
        return replacement_verdict(
            _("{called} on {model}").format(called=called, model=MODEL_TEXT),
            s[key],
            r[key],
            values_match(s[f"{key}_output"], r[f"{key}_output"]),
            hidden=False,
        )

    return judge


exercise.check(
    points=2,
    concept="tree",
    needs=("nested", "nested_output"),
    id="replace_nested",
    title=N_("replace_module replaces a nested module ('features.1') in place"),
)(replacement_check("nested", NESTED))
exercise.check(
    points=1,
    concept="tree",
    needs=("top", "top_output"),
    id="replace_child_of_root",
    title=N_("replace_module replaces a child of the root ('head'), a name without a dot"),
)(replacement_check("top", TOP))


# -- hidden checks: the same functions on other trees ---------------------------------------


def public_standing(s: Observations, r: Observations, check: Callable[[Observations, Observations], Verdict]) -> str:
    """Where the student stands on the public tree, as a hint for a hidden failure that no observation explains."""
    try:
        passed = check(s, r).passed
    except (KeyError, TypeError):
        passed = False
    if passed:
        return _(
            "Your function is right on the public tree only: it must work on whatever tree it is given "
            "(ModuleList and ModuleDict entries, deeper nesting, a module in two places, a model without parameters)."
        )
    return _("The public check on this function fails too: its message names the mistake.")


@exercise.check(points=1, concept="tree", needs=("hidden_count", "hidden_facts"), hidden=True)
def hidden_count_modules(s: Observations, r: Observations) -> Verdict:
    """count_modules works on other trees"""
    called = _("count_modules(model) {trees}").format(trees=_(HIDDEN_TREES))
    cases = list(zip(s["hidden_count"], r["hidden_facts"], r["hidden_count"], strict=True))
    if all(is_count(yours) and yours == reference for yours, _facts, reference in cases):
        return ok(_("Called {called}: your counts match the reference's.").format(called=called))
    public = [(s["count"], r["facts"], r["count"])] if "count" in s else []
    return fail(
        _("Called {called}: your count differs from the reference's.").format(called=called),
        diagnose_count(public + cases) or public_standing(s, r, count_modules),
    )


@exercise.check(points=1, concept="tree", needs=("hidden_free", "hidden_facts"), hidden=True)
def hidden_parameter_free_modules(s: Observations, r: Observations) -> Verdict:
    """parameter_free_modules works on other trees"""
    called = _("parameter_free_modules(model) {trees}").format(trees=_(HIDDEN_TREES))
    cases = list(zip(s["hidden_free"], r["hidden_facts"], r["hidden_free"], strict=True))
    if all(is_name_list(yours) and sorted(yours) == sorted(reference) for yours, _facts, reference in cases):
        return ok(_("Called {called}: your names match the reference's.").format(called=called))
    public = [(s["free"], r["facts"], r["free"])] if "free" in s else []
    return fail(
        _("Called {called}: your names differ from the reference's.").format(called=called),
        diagnose_free(public + cases) or public_standing(s, r, parameter_free_modules),
    )


@exercise.check(points=1, concept="tree", needs=("hidden_children", "hidden_facts"), hidden=True)
def hidden_child_names(s: Observations, r: Observations) -> Verdict:
    """child_names works on other trees"""
    called = _("child_names(model) {trees}").format(trees=_(HIDDEN_TREES))
    yours = s["hidden_children"]
    if is_name_list(yours) and list(yours) == list(r["hidden_children"]):
        return ok(_("Called {called}: your names match the reference's.").format(called=called))
    return fail(
        _("Called {called}: your names differ from the reference's.").format(called=called),
        public_standing(s, r, child_names),
    )


@exercise.check(points=1, concept="tree", needs=("hidden_replace", "hidden_replace_output"), hidden=True)
def hidden_replace_module(s: Observations, r: Observations) -> Verdict:
    """replace_module works at any depth: in a ModuleList, through a ModuleDict, at the root, in a module used twice"""
    called = _(
        "replace_module(model, name, new) on a hidden tree, for names in a ModuleList, through a ModuleDict, of a "
        "child of the root, and of one of the two places of a shared module"
    )
    output_matches = values_match(s["hidden_replace_output"], r["hidden_replace_output"])
    return replacement_verdict(called, s["hidden_replace"], r["hidden_replace"], output_matches, hidden=True)


exercise.claims = (
    Claim(
        "Each takes any ``nn.Module``",
        ("hidden_count_modules", "hidden_parameter_free_modules", "hidden_child_names", "hidden_replace_module"),
    ),
    Claim("``count_modules(model) -> int``: how many modules the tree has", ("count_modules", "hidden_count_modules")),
    Claim("Above: 6.", ("count_modules",)),
    Claim("each once, containers and layers without parameters included", ("count_modules", "hidden_count_modules")),
    Claim(
        "``parameter_free_modules(model) -> list[str]``: the qualified names",
        ("parameter_free_modules", "hidden_parameter_free_modules"),
    ),
    Claim(
        "A frozen parameter (``requires_grad=False``) is a parameter; a buffer is not.",
        ("hidden_parameter_free_modules",),
    ),
    Claim("Above: ``['1', '2.0']``.", ("parameter_free_modules",)),
    Claim("Any order.", ("parameter_free_modules", "hidden_parameter_free_modules")),
    Claim(
        "``child_names(model) -> list[str]``: the names of the direct children, in order.",
        ("child_names", "hidden_child_names"),
    ),
    Claim("Above: ``['0', '1', '2']``.", ("child_names",)),
    Claim(
        "``replace_module(model, name, new) -> None``: replace the submodule at the dotted ``name``",
        ("replace_nested", "replace_child_of_root", "hidden_replace_module"),
    ),
    Claim('Above, ``replace_module(model, "2.0", nn.Identity())`` removes the dropout.', ("replace_nested",)),
    Claim("A name may have any number of dots, or none", ("replace_child_of_root", "hidden_replace_module")),
    Claim("works for Sequential, ModuleList and ModuleDict entries too", ("replace_nested", "hidden_replace_module")),
    Claim("The number of modules in the tree", ("count_modules",)),
    Claim(
        "Qualified names of the modules whose parameters() (submodules' included) is empty.",
        ("parameter_free_modules",),
    ),
    Claim("The names of the direct children, in order.", ("child_names",)),
    Claim("Put ``new`` where the submodule called ``name``", ("replace_nested", "replace_child_of_root")),
)
exercise.prose = (
    "Exercise 06 — the module tree",
    "A model is a tree of modules.",
    "is a *child* of it.",
    "Four methods walk that tree:",
    "``model.children()`` / ``model.named_children()``: the direct children only",
    '``model.get_submodule("features.1")``: the module at a dotted name',
    "A correction to the lecture:",
    "It does not.",
    "``modules()`` yields *every* module of the tree",
    "model = nn.Sequential( nn.Linear(4, 8)",
    "``list(model.modules())`` has 6 entries",
    "Write four functions.",
    'About ``replace_module``: ``setattr(model, "2.0", new)`` does not do it',
    "Neither does ``layer = model.get_submodule(name); layer = new``",
)
