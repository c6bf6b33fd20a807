"""ex11 — load a checkpoint saved with a `module.` prefix and renamed layers: strict loading,
missing and unexpected keys."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

import torch
from torch import nn

from graders.checks import (
    compare_entries,
    compare_gradients,
    compare_loaded,
    compare_modes,
    compare_unchanged,
    count,
    describe,
    differing,
    identical,
    is_mapping,
    values_match,
)
from graders.i18n import N_, Phrase, _
from graders.probe import Probe, entries, modules_in_eval_mode, named_tensors, safe_str
from graders.spec import Claim, Exercise, Hint, Observations, Verdict, fail, ok

exercise = Exercise(
    id="ex11_remap_keys",
    title=N_("Loading a checkpoint whose keys do not match"),
    hints=(
        Hint(
            N_(
                "remap_keys builds a new dict, key by key. First the prefix goes, only from keys that start with it "
                "(str has a method for exactly that). Then look for the one old name that is the whole first module "
                "name of the key, or its first few names when the old name has dots: the key is the old name, or "
                "continues with a dot right after it. Replace just that part by the new name, and stop looking."
            ),
            checks=("remapped", "unprefixed", "remapped_hidden"),
        ),
        Hint(
            N_("Never assign to, pop from or delete from the dict you were given: fill a new one and return that."),
            checks=("caller_dict_unchanged",),
        ),
        Hint(
            N_(
                "load_checkpoint remaps with remap_keys, handing on its own prefix, and gives the result to the "
                "model's load_state_dict. It returns nothing."
            ),
            checks=("tensors_loaded", "returns_nothing", "tensors_loaded_hidden"),
        ),
        Hint(
            N_(
                "Loading only copies values. Switching the model to eval mode or freezing its parameters is for the "
                "code that calls load_checkpoint to decide."
            ),
            checks=("gradients",),
        ),
        Hint(
            N_(
                "Leave load_state_dict's strict at its default, True: it then raises when a key is missing or "
                "unexpected, and lists both. strict=False, or comparing only how many keys there are, lets a "
                "checkpoint that does not fit through."
            ),
            checks=("strict_loading", "strict_loading_hidden"),
        ),
    ),
    error_hints=dict.fromkeys(
        ("Missing key(s) in state_dict", "Unexpected key(s) in state_dict"),
        N_(
            "After your remapping, the keys still differ from the model's: print "
            "sorted(remap_keys(checkpoint, renames, prefix)) next to sorted(model.state_dict()) and compare them."
        ),
    ),
)

PREFIX = "module."
RENAMES = {"encoder": "backbone", "fc": "head"}
REMAP = "remap_keys(checkpoint, renames)"
REMAP_PREFIX = "remap_keys(checkpoint, renames, prefix)"
LOAD = "load_checkpoint(model, checkpoint, renames)"
LOAD_PREFIX = "load_checkpoint(model, checkpoint, renames, prefix)"
ON = N_("{call} on {setup}")
PUBLIC_SETUP = N_(
    "a checkpoint saved from nn.DataParallel (keys start with `module.`) by an older version of the model, "
    "whose `backbone` was called `encoder` and whose `head` was called `fc`"
)
UNPREFIXED_SETUP = N_("a checkpoint saved without DataParallel (no key starts with `module.`)")
HIDDEN_SETUP = N_("another model's checkpoint, with other renames")
HIDDEN_PREFIX_SETUP = N_("another model's checkpoint, with other renames and a prefix other than `module.`")
STRICT_SETUPS = {
    "strict_missing": N_("a checkpoint that lacks `module.fc.bias` (the model's head.bias would be missing)"),
    "strict_unexpected": N_("a checkpoint with an extra `module.fc.scale` (head.scale is unexpected)"),
}
STRICT_HIDDEN_SETUP = N_(
    "another model's checkpoint that lacks one of the model's keys and has one the model lacks (as many keys as "
    "the model)"
)
BACKWARD = N_("{call}, then model(x) on weights we set after loading")


def on(call: str, setup: str) -> str:
    return _(ON).format(call=call, setup=_(setup))


class Recording(nn.Module):
    """A model that notes each call of its load_state_dict (the keys it was given, and strict), so
    that a check can tell "loaded with strict=False" from "never loaded" from "loaded other keys"."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[dict[str, Any]] = []

    def load_state_dict(self, state_dict: Mapping[str, Any], strict: bool = True, assign: bool = False) -> Any:
        keys = [safe_str(key) for key in state_dict] if isinstance(state_dict, Mapping) else None
        self.loads.append({"keys": keys, "strict": bool(strict)})
        return super().load_state_dict(state_dict, strict, assign)


class Net(Recording):
    """The public model, a trunk (conv, batch norm, ReLU) and a head, under the names of the version
    that saved the checkpoint (encoder, fc) or of the one that loads it (backbone, head)."""

    def __init__(self, trunk: str = "backbone", head: str = "head", channels: int = 4, classes: int = 3):
        super().__init__()
        self.parts = (trunk, head)
        self.add_module(trunk, nn.Sequential(nn.Conv2d(1, channels, 3), nn.BatchNorm2d(channels), nn.ReLU()))
        self.add_module(head, nn.Linear(channels, classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        trunk, head = (getattr(self, name) for name in self.parts)
        return head(trunk(x).mean(dim=(-2, -1)))


def make_checkpoint(
    p: Probe, saved: nn.Module, prefix: str, name: str, secret: bool = False
) -> OrderedDict[str, torch.Tensor]:
    """What ``saved``, kept under ``prefix`` by a wrapper, writes: its state_dict's keys with the
    prefix, each tensor seeded by its key (integer counts: a different one for each key)."""
    checkpoint = OrderedDict()
    for index, (key, tensor) in enumerate(saved.state_dict().items()):
        if tensor.is_floating_point():
            checkpoint[prefix + key] = p.randn(f"{name}/{key}", *tensor.shape, secret=secret)
        else:
            checkpoint[prefix + key] = torch.full_like(tensor, 7 + index)
    return checkpoint


# -- hidden inputs: every kind of key the assignment speaks of, under every seed ----------------

HIDDEN_PREFIXES = ("_orig_mod.", "model.", "net.")
SWAPPED = (("left", "right"), ("query", "key"), ("mean", "logvar"))
Layer = tuple[str, str, Callable[[], nn.Module]]  # the path when saved, the path now, how to make it


def hidden_layout(p: Probe) -> tuple[list[Layer], dict[str, str]]:
    """The layers of a model as it was saved and as it is loaded, and the renames between the two.
    Always there: a plain rename; a renamed container of blocks that hold layers called ``fc`` (an
    old name inside a key); ``fc`` renamed next to an ``fc2`` that is not; a dotted old name; two
    names swapped; a layer whose name holds ``module.``. The seed draws the sizes, the number of
    blocks, the swapped names and the order of the renames."""
    width = p.randint("hidden/width", 2, 5, secret=True)
    classes = p.randint("hidden/classes", 2, 4, secret=True)
    depth = p.randint("hidden/depth", 1, 2, secret=True)
    first, second = p.choice("hidden/swapped", SWAPPED, secret=True)
    square, out = partial(nn.Linear, width, width, bias=False), partial(nn.Linear, classes, classes, bias=False)
    layers: list[Layer] = [("embed", "stem", square)]
    layers += [(f"layers.{block}.fc", f"blocks.{block}.fc", square) for block in range(depth)]
    layers += [
        ("encoder.0", "proj", square),
        ("encoder.1", "encoder.1", square),
        ("fc", "classifier", partial(nn.Linear, width, classes, bias=False)),
        ("fc2", "fc2", out),
        ("out_module", "out_module", partial(nn.Linear, classes, 2, bias=False)),
        (first, second, out),
        (second, first, out),
    ]
    renames = {"embed": "stem", "layers": "blocks", "encoder.0": "proj", "fc": "classifier", first: second}
    renames[second] = first
    order = sorted(renames, key=lambda old: p.seed(f"hidden/order/{old}", secret=True))
    return layers, {old: renames[old] for old in order}


def tree(layers: Mapping[str, nn.Module], root: nn.Module) -> nn.Module:
    """``root`` with each layer at its dotted path, plain modules holding the levels in between."""
    for path, layer in layers.items():
        *parents, name = path.split(".")
        node = root
        for part in parents:
            if part not in dict(node.named_children()):
                node.add_module(part, nn.Module())
            node = node.get_submodule(part)
        node.add_module(name, layer)
    return root


# -- recording -------------------------------------------------------------------------------


@exercise.probe
def probe(p: Probe) -> None:
    remap = p.require("remap_keys")
    load = p.require("load_checkpoint")
    saved = Net("encoder", "fc")

    checkpoint = make_checkpoint(p, saved, PREFIX, "checkpoint")
    p.record("checkpoint_keys", list(checkpoint))
    with p.section():
        remapped = p.observe("remapped", REMAP, remap, checkpoint, dict(RENAMES))
        p.record("remapped_is_given", remapped is checkpoint)
    p.record("checkpoint_after_remap", entries(checkpoint))

    plain = make_checkpoint(p, saved, "", "checkpoint")
    p.record("unprefixed_keys", list(plain))
    with p.section():
        p.observe("unprefixed", REMAP, remap, plain, dict(RENAMES))

    model = Net()
    p.fill_parameters(model, "initial")
    p.record("initial", named_tensors(model, "state_dict"))
    checkpoint = make_checkpoint(p, saved, PREFIX, "checkpoint")
    with p.section():
        p.record("load_returned", p.call("loaded", LOAD, load, model, checkpoint, dict(RENAMES)))
        p.observe("loaded", _("reading the model's state_dict after loading"), named_tensors, model, "state_dict")
    p.record("loads", model.loads)
    p.record("checkpoint_after_load", entries(checkpoint))
    p.record("eval_modules", modules_in_eval_mode(model))
    with p.section():  # on weights of ours: whether the model still trains, whatever was loaded
        called = _(BACKWARD).format(call=LOAD)
        p.fill_parameters(model, "weights")
        output = p.call("gradients", called, model, p.randn("x", 2, 1, 5, 5))
        p.record("output", output)
        p.backward("gradients", called, output, dict(model.named_parameters()))

    for key in STRICT_SETUPS:
        model = Net()
        checkpoint = make_checkpoint(p, saved, PREFIX, "checkpoint")
        if key == "strict_missing":
            del checkpoint[PREFIX + "fc.bias"]
        else:
            checkpoint[PREFIX + "fc.scale"] = torch.ones(3)
        with p.section():
            p.expect_error(key, LOAD, load, model, checkpoint, dict(RENAMES))
        p.record(f"{key}_loads", model.loads)

    if p.hidden:
        layers, renames = hidden_layout(p)
        saved = tree({old: make() for old, _new, make in layers}, nn.Module())
        prefix = p.choice("hidden/prefix", HIDDEN_PREFIXES, secret=True)
        p.record("hidden_renames", renames)
        p.record("hidden_prefix", prefix)
        for key, call, setup, saved_prefix, arguments in (
            ("remapped_hidden", REMAP, HIDDEN_SETUP, PREFIX, ()),
            ("remapped_hidden_prefix", REMAP_PREFIX, HIDDEN_PREFIX_SETUP, prefix, (prefix,)),
        ):
            checkpoint = make_checkpoint(p, saved, saved_prefix, "hidden", secret=True)
            p.record(f"{key}_keys", list(checkpoint))
            with p.section():
                p.observe(key, on(call, setup), remap, checkpoint, dict(renames), *arguments)

        def fresh() -> nn.Module:
            model = tree({new: make() for _old, new, make in layers}, Recording())
            p.fill_parameters(model, "hidden-initial", secret=True)
            return model

        model = fresh()
        checkpoint = make_checkpoint(p, saved, prefix, "hidden", secret=True)
        with p.section():
            called = on(LOAD_PREFIX, HIDDEN_PREFIX_SETUP)
            p.call("loaded_hidden", called, load, model, checkpoint, dict(renames), prefix)
            p.observe(
                "loaded_hidden", _("reading the model's state_dict after loading"), named_tensors, model, "state_dict"
            )
        p.record("hidden_loads", model.loads)

        model = fresh()
        checkpoint = make_checkpoint(p, saved, PREFIX, "hidden", secret=True)
        del checkpoint[PREFIX + "fc2.weight"]
        checkpoint[PREFIX + "fc2.scale"] = torch.ones(1)
        with p.section():
            called = on(LOAD, STRICT_HIDDEN_SETUP)
            p.expect_error("strict_hidden", called, load, model, checkpoint, dict(renames))
        p.record("strict_hidden_loads", model.loads)


# -- what the student's keys show ------------------------------------------------------------

# The mistakes a remapped key can show, each recognised from the key before, the student's key and
# the reference's (see ``mistakes``), in the order a student should read about them.
MISTAKES = {
    "prefix_kept": N_(
        "Your keys still start with the prefix: remove it from every key that starts with it, before renaming."
    ),
    "prefix_argument": N_(
        "Your keys still start with the prefix we passed, which was not `module.`: remove the `prefix` you are "
        "given, not a fixed 'module.'."
    ),
    "lstrip": N_(
        "`key.lstrip(prefix)` does not remove a prefix: it removes every leading character that occurs in it "
        "(for 'module.': m, o, d, u, l, e and '.'), so 'module.encoder.0.weight' becomes 'ncoder.0.weight'. "
        "Use `key.removeprefix(prefix)`."
    ),
    "cut": N_(
        "Keys that do not start with the prefix lost their first characters too: remove the prefix only from "
        "keys that start with it."
    ),
    "inside": N_(
        "The prefix was also removed from inside a key (from a layer whose name ends in 'module', say): remove "
        "it only at the start."
    ),
    "twice": N_(
        "Some keys were renamed twice: a rename turned a key into another old name, and that name's rename "
        "applied too; with renames that swap two names ({'a': 'b', 'b': 'a'}) this undoes the swap. At most "
        "one rename applies to a key: stop at the first that matches."
    ),
    "longer": N_(
        "A key whose first module name only starts with an old name was renamed ('fc2' for the old name 'fc'): "
        "an old name must match a whole module name, so the key is the old name or goes on with a dot right "
        "after it."
    ),
    "inner": N_(
        "A module name further inside a key was renamed (the 'fc' of 'block.fc.weight'): a rename applies only "
        "at the start of the key."
    ),
    "dotted": N_(
        "Keys whose old name has a dot in it (like 'encoder.0') kept their old name: compare the whole old "
        "name, dots included, with the start of the key, not only the key's first part."
    ),
    "unrenamed": N_(
        "Keys that a rename applies to kept their old name: after removing the prefix, rename the module name "
        "at the start of each key."
    ),
    "lost": N_(
        "Your dict has fewer entries than the checkpoint: some keys became the same key, so one tensor replaced "
        "another."
    ),
}
EXAMPLE = N_("(For one: {original} became {yours}; the reference makes it {reference}.)")


def keys_by_tensor(original: list[str], yours: Mapping[str, Any], reference: Mapping[str, Any]) -> dict[str, str]:
    """Where each tensor of the checkpoint went in the student's dict: its key in the checkpoint ->
    its key in ``yours``, found by value (the tensors are all different; the reference's dict holds
    them in the checkpoint's order). A tensor the student's dict lacks is left out."""
    found = {}
    for key, tensor in zip(original, reference.values(), strict=True):
        found.update((key, new_key) for new_key, value in yours.items() if identical(value, tensor))
    return found


def leading_names(key: str, other: str) -> str:
    """The module names at the start of ``key`` before the longest ending it shares with ``other``:
    the old name a rename replaced, or (the keys the other way round) the new name it put there."""
    names, others = key.split("."), other.split(".")
    shared = 0
    while shared < min(len(names), len(others)) and names[-1 - shared] == others[-1 - shared]:
        shared += 1
    return ".".join(names[: len(names) - shared])


def changed_name(stripped: str, yours: str, reference: str) -> tuple[int, str] | None:
    """Where the student's key changed a module name that the reference's kept: (its position in
    the key, the name), found at the last place the two keys differ; None if the reference changed
    the name there too."""
    names, mine, theirs = stripped.split("."), yours.split("."), reference.split(".")
    for offset in range(1, min(len(names), len(mine), len(theirs)) + 1):
        if mine[-offset] != theirs[-offset]:
            return (len(names) - offset, names[-offset]) if theirs[-offset] == names[-offset] else None
    return None


@dataclass(frozen=True)
class Remapping:
    """What the reference did to a checkpoint: the prefix and renames it was given, and for each
    key without the prefix, the reference's key for it."""

    prefix: str
    renames: Mapping[str, str]
    reference_keys: Mapping[str, str]

    def mistake(self, original: str, yours: str, reference: str, renaming: bool) -> str:
        """The mistake one of the student's keys shows (an id of MISTAKES), or "" when it shows none we
        know. ``renaming``: some other key shows that the student's code does rename."""
        prefix, renames = self.prefix, self.renames
        stripped = original.removeprefix(prefix)
        if yours.startswith(prefix) and not reference.startswith(prefix):
            return "prefix_kept" if prefix == PREFIX else "prefix_argument"
        if original.startswith(prefix) and yours == original.lstrip(prefix) != stripped:
            return "lstrip"
        if not original.startswith(prefix) and yours == original[len(prefix) :]:
            return "cut"
        if prefix in stripped and prefix in reference and prefix not in yours:
            return "inside"
        changed = changed_name(stripped, yours, reference)
        if changed is not None and changed[0] > 0 and changed[1] in renames:
            return "inner"
        if changed is not None and changed[0] == 0 and any(changed[1].startswith(old) for old in renames):
            return "longer"
        chained = self.reference_keys.get(reference) == yours  # what the renames make of the reference's key
        if reference != stripped and chained and (renaming or yours != stripped):
            return "twice"
        if reference != stripped and yours == stripped:
            return "dotted" if renaming and "." in leading_names(stripped, reference) else "unrenamed"
        return ""

    def lost(self, original: str, reference: str) -> str:
        """Why a tensor of the checkpoint may be missing from the student's dict: the reference renamed
        its key to another old name, so that a second rename could follow ("twice"), or not ("lost")."""
        return "twice" if leading_names(reference, original.removeprefix(self.prefix)) in self.renames else "lost"


def diagnose_keys(
    original: list[str],
    yours: Mapping[str, Any],
    reference: Mapping[str, torch.Tensor],
    prefix: str,
    renames: Mapping[str, str],
    hidden: bool,
) -> str | None:
    """What the student's keys show, from each tensor's key before, in the student's dict and in the
    reference's; None when they show no mistake we know (then the message states only the facts)."""
    mine, theirs = keys_by_tensor(original, yours, reference), dict(zip(original, reference, strict=True))
    remapping = Remapping(prefix, renames, {key.removeprefix(prefix): new for key, new in theirs.items()})
    renaming = any(mine.get(key) == new != key.removeprefix(prefix) for key, new in theirs.items())
    found: dict[str, tuple[str, str, str]] = {}
    for original, reference_key in theirs.items():
        your_key = mine.get(original)
        if your_key is None and len(yours) < len(original):
            found.setdefault(remapping.lost(original, reference_key), ("", "", ""))
        elif your_key is not None and your_key != reference_key:
            kind = remapping.mistake(original, your_key, reference_key, renaming)
            if kind:
                found.setdefault(kind, (original, your_key, reference_key))
    sentences = []
    for kind, text in MISTAKES.items():
        if kind in found:
            sentences.append(_(text))
            original, your_key, reference_key = found[kind]
            if not hidden and original:
                sentences.append(
                    _(EXAMPLE).format(original=repr(original), yours=repr(your_key), reference=repr(reference_key))
                )
    return " ".join(sentences) or None


# -- judging ---------------------------------------------------------------------------------


def compare_remapped(
    called: str | Phrase,
    yours: Any,
    reference: Mapping[str, torch.Tensor],
    original: list[str],
    prefix: str,
    renames: Mapping[str, str],
    hidden: bool = False,
) -> Verdict:
    """remap_keys's dict against the reference's, with what its keys show when they differ."""
    hint = None
    if is_mapping(yours) and set(yours) != set(reference):
        hint = diagnose_keys(original, yours, reference, prefix, renames, hidden)
    return compare_entries(called, yours, reference, hint, hidden)


@exercise.check(points=2, concept="checkpoints", needs=("remapped", "checkpoint_keys"))
def remapped(s: Observations, r: Observations) -> Verdict:
    """remap_keys removes `module.` and renames encoder → backbone, fc → head"""
    called = on(REMAP, PUBLIC_SETUP)
    return compare_remapped(called, s["remapped"], r["remapped"], r["checkpoint_keys"], PREFIX, RENAMES)


@exercise.check(points=1, concept="checkpoints", needs=("unprefixed", "unprefixed_keys"))
def unprefixed(s: Observations, r: Observations) -> Verdict:
    """remap_keys keeps keys that do not start with the prefix"""
    called = on(REMAP, UNPREFIXED_SETUP)
    return compare_remapped(called, s["unprefixed"], r["unprefixed"], r["unprefixed_keys"], PREFIX, RENAMES)


@exercise.check(
    points=2,
    concept="checkpoints",
    needs=("remapped", "remapped_is_given", "checkpoint_after_remap", "checkpoint_after_load"),
)
def caller_dict_unchanged(s: Observations, r: Observations) -> Verdict:
    """remap_keys returns a new dict; it and load_checkpoint leave the caller's checkpoint as it was"""
    hint = _(
        "Build a new dict and leave the caller's alone: `pop`, `del` or assigning to `state_dict[new_key]` changes "
        "the dict the caller passed in, and the caller may still need it (to load it into a second model, say)."
    )
    for key, called in (("checkpoint_after_remap", REMAP), ("checkpoint_after_load", LOAD)):
        verdict = compare_unchanged(called, s[key], r[key], hint)
        if not verdict.passed:
            return verdict
    if s["remapped_is_given"]:
        return fail(
            _("Called {called}: yours returned the very dict we passed in; the reference returns a new one.").format(
                called=REMAP
            ),
            _("Return a new dict: the caller may change what you return without expecting its checkpoint to change."),
        )
    return ok(_("remap_keys returns a new dict, and after it and load_checkpoint the dict we passed in is unchanged."))


def diagnose_loads(
    yours: Mapping[str, Any], reference: Mapping[str, torch.Tensor], loads: Any, hidden: bool
) -> str | None:
    """What the model's load_state_dict saw of a load that left tensors out: no call at all, or a call
    with strict=False given a dict that lacks some of the model's keys."""
    if not loads:
        return _("Your load_checkpoint did not call the model's load_state_dict.")
    given = set(loads[-1]["keys"] or ())
    unmatched = [key for key in differing(yours, reference) if key not in given]
    if loads[-1]["strict"] or not unmatched:
        return None
    return _(
        "Your load_checkpoint called model.load_state_dict(..., strict=False) with a dict that lacks {some} of the "
        "model's keys{example}: strict=False skipped them without a word. Load the remapped checkpoint, strictly, "
        "so that keys that do not fit raise an error."
    ).format(some=count(len(unmatched)), example="" if hidden else _(" (such as {key!r})").format(key=unmatched[0]))


@exercise.check(points=3, concept="checkpoints", needs=("loaded", "initial", "loads"))
def tensors_loaded(s: Observations, r: Observations) -> Verdict:
    """load_checkpoint loads every tensor of the checkpoint into the model"""
    yours, reference = s["loaded"], r["loaded"]
    hint = diagnose_loads(yours, reference, s["loads"], hidden=False)
    return compare_loaded(on(LOAD, PUBLIC_SETUP), yours, reference, r["initial"], hint)


@exercise.check(points=1, concept="checkpoints", needs=("loaded", "load_returned"))
def returns_nothing(s: Observations, r: Observations) -> Verdict:
    """load_checkpoint returns nothing"""
    yours = s["load_returned"]
    if yours is None:
        return ok(_("Called {called}: yours returned None, as the reference does.").format(called=LOAD))
    shown = yours.get("__object__", "") if isinstance(yours, dict) else ""
    hint = (
        _(
            "That is what model.load_state_dict returns (the missing and unexpected keys, empty after a strict "
            "load); load_checkpoint does not hand it on."
        )
        if shown.endswith("_IncompatibleKeys")
        else None
    )
    return fail(
        _("Called {called}: yours returned {what}; the reference returns None.").format(
            called=LOAD, what=describe(yours)
        ),
        hint,
    )


@exercise.check(points=2, concept="autograd", needs=("loaded", "eval_modules", "gradients"))
def gradients(s: Observations, r: Observations) -> Verdict:
    """after load_checkpoint the model keeps its mode and still trains: every gradient matches the reference's"""
    called = _(BACKWARD).format(call=LOAD)
    verdict = compare_modes(
        LOAD,
        s["eval_modules"],
        r["eval_modules"],
        _("Loading changes values only: leave model.eval() to the code that evaluates."),
    )
    if not verdict.passed:
        return verdict
    output_matches = "output" in s and values_match(s["output"], r["output"])
    return compare_gradients(called, s["gradients"], r["gradients"], output_matches=output_matches)


def compare_strict(called: str | Phrase, yours: Any, reference: Mapping[str, Any], loads: Any) -> Verdict | None:
    """None if the student's load_checkpoint raised like the reference's; else what it did instead."""
    if yours.get("raised") is not None:
        return None
    if loads and not all(load["strict"] for load in loads):
        hint = _(
            "Your load_checkpoint called model.load_state_dict(..., strict=False), which skips keys that do not "
            "match without a word. Load strictly: strict=True, the default, raises when a key is missing or "
            "unexpected."
        )
    elif loads:
        hint = _(
            "Your load_checkpoint called model.load_state_dict strictly, but the error it raised did not reach "
            "us: let it propagate."
        )
    else:
        hint = _("Your load_checkpoint did not call the model's load_state_dict.")
    return fail(
        _("Called {called}: yours returned without an error; the reference raises {error}.").format(
            called=called, error=reference.get("raised")
        ),
        hint,
    )


@exercise.check(points=2, concept="checkpoints", needs=("loaded", "strict_missing", "strict_unexpected"))
def strict_loading(s: Observations, r: Observations) -> Verdict:
    """load_checkpoint raises on a checkpoint with a missing or an unexpected key"""
    for key, setup in STRICT_SETUPS.items():
        verdict = compare_strict(on(LOAD, setup), s[key], r[key], s.get(f"{key}_loads"))
        if verdict is not None:
            return verdict
    return ok(
        _("Called {called} with a missing key and with an unexpected key: yours raised an error both times.").format(
            called=LOAD
        )
    )


@exercise.check(
    points=2,
    concept="checkpoints",
    needs=(
        "remapped_hidden",
        "remapped_hidden_keys",
        "remapped_hidden_prefix",
        "remapped_hidden_prefix_keys",
        "hidden_renames",
        "hidden_prefix",
    ),
    hidden=True,
)
def remapped_hidden(s: Observations, r: Observations) -> Verdict:
    """remap_keys is right on another model's checkpoint, with other renames and another prefix"""
    for key, call, setup, prefix in (
        ("remapped_hidden", REMAP, HIDDEN_SETUP, PREFIX),
        ("remapped_hidden_prefix", REMAP_PREFIX, HIDDEN_PREFIX_SETUP, r["hidden_prefix"]),
    ):
        original = r[f"{key}_keys"]
        verdict = compare_remapped(on(call, setup), s[key], r[key], original, prefix, r["hidden_renames"], True)
        if not verdict.passed:
            return verdict
    return ok(_("remap_keys gives the reference's keys on another model's checkpoints, with other renames."))


@exercise.check(points=2, concept="checkpoints", needs=("loaded_hidden",), hidden=True)
def tensors_loaded_hidden(s: Observations, r: Observations) -> Verdict:
    """load_checkpoint loads every tensor of another model's checkpoint, with its prefix and renames"""
    yours, reference = s["loaded_hidden"], r["loaded_hidden"]
    hint = diagnose_loads(yours, reference, s.get("hidden_loads"), hidden=True)
    return compare_loaded(on(LOAD_PREFIX, HIDDEN_PREFIX_SETUP), yours, reference, hint=hint, hidden=True)


@exercise.check(points=1, concept="checkpoints", needs=("strict_hidden",), hidden=True)
def strict_loading_hidden(s: Observations, r: Observations) -> Verdict:
    """load_checkpoint raises on a checkpoint with one key missing and one unexpected"""
    called = on(LOAD, STRICT_HIDDEN_SETUP)
    verdict = compare_strict(called, s["strict_hidden"], r["strict_hidden"], s.get("strict_hidden_loads"))
    return verdict or ok(_("Called {called}: yours raised an error, as the reference does.").format(called=called))


exercise.claims = (
    Claim("``encoder`` is now called ``backbone``, ``fc`` is now ``head``", ("remapped",)),
    Claim("Write two functions:", ("remapped", "tensors_loaded")),
    Claim(
        "returns a **new** dict with the same tensors under the new names",
        ("remapped", "caller_dict_unchanged", "remapped_hidden"),
    ),
    Claim("First, a key that starts with ``prefix`` loses it", ("remapped", "unprefixed", "remapped_hidden")),
    Claim("The prefix is an argument", ("remapped_hidden",)),
    Claim("Then ``renames`` maps an old module name to its new name", ("remapped", "remapped_hidden")),
    Claim("A rename applies only to a whole module name at the start of the key", ("remapped_hidden",)),
    Claim("Old names may contain dots", ("remapped_hidden",)),
    Claim("Do not change the dict you were given", ("caller_dict_unchanged",)),
    Claim(
        "loads ``checkpoint``, remapped with ``remap_keys``, into ``model`` (in place; it returns nothing)",
        ("tensors_loaded", "returns_nothing", "tensors_loaded_hidden"),
    ),
    Claim("Load strictly", ("strict_loading", "strict_loading_hidden")),
    Claim("Loading changes the values of the model's tensors and nothing else", ("gradients",)),
    Claim("the model stays in the mode it was in and trains as before", ("gradients",)),
    Claim(">>> checkpoint = {", ("remapped", "caller_dict_unchanged")),
    Claim("use ``key.removeprefix(prefix)``", ("remapped", "unprefixed")),
    Claim('And ``key.replace("fc", "head")`` replaces ``fc`` anywhere in the key', ("remapped_hidden",)),
    Claim("A new dict: ``prefix`` removed from the keys that start with it", ("remapped", "unprefixed")),
    Claim("Load ``checkpoint``, remapped, into ``model``; raise if it does not fit exactly", ("tensors_loaded",)),
)
exercise.prose = (
    "Exercise 11 — Loading a checkpoint whose keys do not match the model.",
    "copies tensors by *name*",
    "With ``strict=True`` (the default) it refuses a dict that does not fit",
    "Two everyday reasons for such a mismatch:",
    "The model was wrapped in ``nn.DataParallel``",
    "The wrapper keeps your model as its attribute ``module``",
    "Why not ``strict=False``?",
    "It does not skip the *wrong* keys",
    "It returns the missing and unexpected keys",
    "Keep ``strict=False`` for deliberate partial loading",
)
