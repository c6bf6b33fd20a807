"""ex11 — load a checkpoint saved with a `module.` prefix and renamed layers: strict loading,
missing and unexpected keys."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

import torch
from torch import nn

from graders.checks import describe, identical, is_mapping, listed
from graders.probe import Probe, named_tensors, safe_str
from graders.spec import Exercise, Hint, Observations, Verdict, fail, ok

exercise = Exercise(
    id="ex11_remap_keys",
    title="Loading a checkpoint whose keys do not match",
    hints=(
        Hint(
            "In remap_keys, fill a new dict in a loop over `state_dict.items()`: first "
            "`key = key.removeprefix(prefix)`, then for each `old, new` in renames, if "
            "`key == old or key.startswith(old + '.')`, the new key is `new + key[len(old):]`. "
            "Never assign to or pop from the dict you were given.",
            checks=("remapped", "unprefixed", "caller_dict_unchanged"),
        ),
        Hint(
            "load_checkpoint is one line: `model.load_state_dict(remap_keys(checkpoint, renames, prefix))`. "
            "Leave strict at its default, True: a checkpoint that still does not fit then raises an error "
            "that lists the missing and unexpected keys, instead of loading nothing in silence.",
            checks=("tensors_loaded", "strict_loading"),
        ),
    ),
    error_hints={
        "Missing key(s) in state_dict": "After your remapping, the keys still differ from the model's: print "
        "sorted(remap_keys(checkpoint, renames)) next to sorted(model.state_dict()) and compare them.",
        "Unexpected key(s) in state_dict": "After your remapping, the keys still differ from the model's: print "
        "sorted(remap_keys(checkpoint, renames)) next to sorted(model.state_dict()) and compare them.",
    },
)

PREFIX = "module."
RENAMES = {"encoder": "backbone", "fc": "head"}
# The hidden model has a layer whose name starts like an old name (fc2 after fc) and a layer
# whose name contains "module." without starting with it.
HIDDEN_RENAMES = {"embed": "stem", "layers": "blocks", "fc": "classifier"}
REMAP = "remap_keys(checkpoint, renames)"
LOAD = "load_checkpoint(model, checkpoint, renames)"
PUBLIC_SETUP = (
    "a checkpoint saved from nn.DataParallel (keys start with `module.`) by an older version of the model "
    "whose `backbone` was called `encoder` and whose `head` was called `fc`"
)


class Net(nn.Module):
    """The model that loads the public checkpoint: backbone (conv, batch norm) and head."""

    def __init__(self, channels: int = 4, classes: int = 3):
        super().__init__()
        self.backbone = nn.Sequential(nn.Conv2d(1, channels, 3), nn.BatchNorm2d(channels), nn.ReLU())
        self.head = nn.Linear(channels, classes)


class OtherNet(nn.Module):
    """The hidden checks' model: other layers, other names, other sizes."""

    def __init__(self, inputs: int, width: int, depth: int, classes: int):
        super().__init__()
        self.stem = nn.Linear(inputs, width)
        self.blocks = nn.ModuleList(nn.Sequential(nn.Linear(width, width), nn.LayerNorm(width)) for _ in range(depth))
        self.classifier = nn.Linear(width, classes)
        self.fc2 = nn.Linear(classes, classes)
        self.out_module = nn.Linear(classes, 2)


# -- the renaming rule, and the mistakes students make with it (used to make checkpoints and
#    to diagnose; the reference's answer always comes from running the reference) ----------


def rename(key: str, renames: Mapping[str, str]) -> str:
    for old, new in renames.items():
        if key == old or key.startswith(old + "."):
            return new + key[len(old) :]
    return key


def rename_anywhere(key: str, renames: Mapping[str, str]) -> str:
    for old, new in renames.items():
        key = key.replace(old, new)
    return key


def rename_without_dot(key: str, renames: Mapping[str, str]) -> str:
    for old, new in renames.items():
        if key.startswith(old):
            return new + key[len(old) :]
    return key


STRIPS: tuple[tuple[Callable[[str, str], str], str | None], ...] = (
    (lambda key, prefix: key.removeprefix(prefix), None),
    (
        lambda key, prefix: key,
        "The keys still start with the prefix: remove it with `key.removeprefix(prefix)` before renaming.",
    ),
    (
        lambda key, prefix: key.lstrip(prefix),
        "`key.lstrip('module.')` does not remove a prefix: it removes every leading character among "
        "m, o, d, u, l, e and '.', so 'module.encoder.0.weight' becomes 'ncoder.0.weight'. "
        "Use `key.removeprefix(prefix)`.",
    ),
    (
        lambda key, prefix: key[len(prefix) :],
        "Keys that do not start with the prefix lost their first characters too: cut the prefix only from "
        "keys that start with it (`key.removeprefix(prefix)` does exactly that).",
    ),
    (
        lambda key, prefix: key.replace(prefix, ""),
        "`key.replace('module.', '')` removes 'module.' anywhere in a key, also inside a layer name that "
        "ends in 'module': remove it only at the start, with `key.removeprefix(prefix)`.",
    ),
)
LONGER_NAMES = (
    "`key.replace(old, new)` and `key.startswith(old)` also match inside longer names ('fc' in "
    "'fc2.weight'): rename only a whole module name at the start, "
    "`if key == old or key.startswith(old + '.')`."
)
RENAMINGS: tuple[tuple[Callable[[str, Mapping[str, str]], str], str | None], ...] = (
    (rename, None),
    (
        lambda key, renames: key,
        "No module was renamed: apply `renames` to each key after removing the prefix.",
    ),
    (rename_anywhere, LONGER_NAMES),
    (rename_without_dot, LONGER_NAMES),
)


def diagnose_keys(yours: Mapping[str, Any], original: list[str], renames: Mapping[str, str]) -> str:
    """Name the mistakes that turn the checkpoint's original keys into the student's keys."""
    correct = {rename(key.removeprefix(PREFIX), renames) for key in original}
    for strip, strip_hint in STRIPS:
        for renaming, rename_hint in RENAMINGS:
            made = {renaming(strip(key, PREFIX), renames) for key in original}
            if made != correct and made == set(yours):
                return " ".join(hint for hint in (strip_hint, rename_hint) if hint)
    return (
        "Remove the prefix from the keys that start with it, then rename whole module names at the start "
        "of each key; every other part of a key stays as it is."
    )


# -- recording -------------------------------------------------------------------------------


def make_checkpoint(
    p: Probe, model: nn.Module, renames: Mapping[str, str], prefix: str, name: str, secret: bool = False
) -> OrderedDict[str, torch.Tensor]:
    """The tensors ``model`` will load, under the keys an older, wrapped version saved them with."""
    old_names = {new: old for old, new in renames.items()}
    checkpoint = OrderedDict()
    for key, tensor in model.state_dict().items():
        if tensor.is_floating_point():
            value = p.randn(f"{name}/{key}", *tensor.shape, secret=secret)
        else:
            value = torch.full_like(tensor, 7)
        checkpoint[prefix + rename(key, old_names)] = value
    return checkpoint


def items_of(checkpoint: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """The caller's dict as it is now: its keys in order, and its values."""
    return [(safe_str(key), value) for key, value in checkpoint.items()]


@exercise.probe
def probe(p: Probe) -> None:
    remap = p.require("remap_keys")
    load = p.require("load_checkpoint")

    initial = Net()
    p.fill_parameters(initial, "initial")
    p.record("initial", named_tensors(initial, "state_dict"))

    checkpoint = make_checkpoint(p, Net(), RENAMES, PREFIX, "checkpoint")
    p.record("checkpoint_keys", list(checkpoint))
    with p.section():
        p.observe("remapped", REMAP, remap, checkpoint, RENAMES)
    with p.section():
        p.observe("checkpoint_after_remap", "reading the checkpoint after remap_keys", items_of, checkpoint)

    plain = make_checkpoint(p, Net(), RENAMES, "", "checkpoint")
    p.record("unprefixed_keys", list(plain))
    with p.section():
        p.observe("unprefixed", REMAP, remap, plain, RENAMES)

    model = Net()
    p.fill_parameters(model, "initial")
    checkpoint = make_checkpoint(p, Net(), RENAMES, PREFIX, "checkpoint")
    with p.section():
        p.call("loaded", LOAD, load, model, checkpoint, RENAMES)
        p.observe("loaded", "reading the model's state_dict after loading", named_tensors, model, "state_dict")
    with p.section():
        p.observe("checkpoint_after_load", "reading the checkpoint after load_checkpoint", items_of, checkpoint)

    for case in ("missing", "unexpected"):
        model = Net()
        checkpoint = make_checkpoint(p, Net(), RENAMES, PREFIX, "checkpoint")
        if case == "missing":
            del checkpoint[PREFIX + "fc.bias"]
        else:
            checkpoint[PREFIX + "fc.scale"] = torch.ones(3)
        with p.section():
            p.expect_error(f"strict_{case}", LOAD, load, model, checkpoint, RENAMES)

    if p.hidden:
        sizes = {
            name: p.randint(f"hidden/{name}", low, high, secret=True)
            for name, (low, high) in {"inputs": (2, 6), "width": (3, 7), "depth": (1, 3), "classes": (2, 5)}.items()
        }
        checkpoint = make_checkpoint(p, OtherNet(**sizes), HIDDEN_RENAMES, PREFIX, "hidden", secret=True)
        p.record("hidden_checkpoint_keys", list(checkpoint))
        with p.section():
            called = "remap_keys(checkpoint, renames) on another model"
            p.observe("remapped_hidden", called, remap, checkpoint, HIDDEN_RENAMES)

        initial = OtherNet(**sizes)
        p.fill_parameters(initial, "hidden-initial", secret=True)
        p.record("hidden_initial", named_tensors(initial, "state_dict"))
        model = OtherNet(**sizes)
        p.fill_parameters(model, "hidden-initial", secret=True)
        with p.section():
            p.call(
                "loaded_hidden",
                "load_checkpoint(model, checkpoint, renames) on another model",
                load,
                model,
                checkpoint,
                HIDDEN_RENAMES,
            )
            p.observe(
                "loaded_hidden", "reading the model's state_dict after loading", named_tensors, model, "state_dict"
            )


# -- judging ---------------------------------------------------------------------------------


def compare_remapped(
    called: str,
    yours: Any,
    reference: Mapping[str, torch.Tensor],
    original: list[str],
    renames: Mapping[str, str],
    hidden: bool = False,
) -> Verdict:
    if not is_mapping(yours):
        hint = (
            "Return the new dict at the end of remap_keys: a function without `return` gives None."
            if yours is None
            else None
        )
        return fail(f"Called {called}: yours returned {describe(yours)}; the reference returns a dict.", hint)
    extra = [key for key in yours if key not in reference]
    missing = [key for key in reference if key not in yours]
    if extra or missing:
        hint = diagnose_keys(yours, original, renames)
        if hidden:
            return fail(f"Called {called}: your keys differ from the reference's.", hint)
        return fail(
            f"Called {called}: your dict has the keys {listed(sorted(yours))}; the reference's has "
            f"{listed(sorted(reference))}.",
            hint,
        )
    changed = [key for key, tensor in reference.items() if not identical(yours[key], tensor)]
    if changed:
        where = "some keys" if hidden else listed(changed)
        return fail(
            f"Called {called}: your keys are right, but the tensors under {where} are not the checkpoint's.",
            "Only the keys change: keep each tensor as it is (no copy with another dtype, no arithmetic).",
        )
    return ok(f"Called {called}: your dict has the reference's {len(reference)} keys and the checkpoint's tensors.")


@exercise.check(points=2, concept="checkpoints", needs=("remapped", "checkpoint_keys"))
def remapped(s: Observations, r: Observations) -> Verdict:
    """remap_keys removes `module.` and renames encoder → backbone, fc → head"""
    return compare_remapped(f"{REMAP} on {PUBLIC_SETUP}", s["remapped"], r["remapped"], r["checkpoint_keys"], RENAMES)


@exercise.check(points=1, concept="checkpoints", needs=("unprefixed", "unprefixed_keys"))
def unprefixed(s: Observations, r: Observations) -> Verdict:
    """remap_keys keeps keys that do not start with the prefix"""
    return compare_remapped(
        f"{REMAP} on a checkpoint saved without DataParallel (no key starts with `module.`)",
        s["unprefixed"],
        r["unprefixed"],
        r["unprefixed_keys"],
        RENAMES,
    )


@exercise.check(points=2, concept="checkpoints", needs=("remapped", "checkpoint_after_remap", "checkpoint_after_load"))
def caller_dict_unchanged(s: Observations, r: Observations) -> Verdict:
    """remap_keys and load_checkpoint leave the caller's checkpoint dict as it was"""
    for key, called in (("checkpoint_after_remap", REMAP), ("checkpoint_after_load", LOAD)):
        yours, reference = s[key], r[key]
        your_keys = [item[0] for item in yours]
        reference_keys = [item[0] for item in reference]
        hint = (
            "Build a new dict and leave the caller's alone: `pop`, `del` or assigning to `state_dict[new_key]` "
            "changes the dict the caller passed in, and the caller may still need it (to load it into a second "
            "model, to save it elsewhere)."
        )
        if your_keys != reference_keys:
            return fail(
                f"Called {called}, then looked at the checkpoint dict we passed in: it now has the keys "
                f"{listed(your_keys)}; before the call it had {listed(reference_keys)}.",
                hint,
            )
        changed = [k for (k, value), (_, tensor) in zip(yours, reference, strict=True) if not identical(value, tensor)]
        if changed:
            return fail(
                f"Called {called}, then looked at the checkpoint dict we passed in: the values under "
                f"{listed(changed)} are no longer the tensors we passed in.",
                "Do not change the tensors of the checkpoint in place, nor replace them in the caller's dict.",
            )
    return ok("After remap_keys and load_checkpoint, the checkpoint dict we passed in is unchanged.")


STRICT_FALSE_HINT = (
    "Nothing was loaded, and nothing complained. `load_state_dict(..., strict=False)` skips every key that "
    "does not match, and with the keys not remapped none does: it loads 0 tensors and only returns the lists of "
    "missing and unexpected keys, which are easy to ignore. Load `remap_keys(checkpoint, renames, prefix)`, "
    "with strict=True (the default), so that a mismatch raises."
)


def compare_loaded(
    called: str,
    yours: Mapping[str, Any],
    reference: Mapping[str, torch.Tensor],
    initial: Mapping[str, torch.Tensor],
    hidden: bool = False,
) -> Verdict:
    total = len(reference)
    loaded = [key for key, tensor in reference.items() if identical(yours.get(key), tensor)]
    if len(loaded) == total:
        return ok(f"Called {called}: all {total} tensors of the checkpoint are in the model, bit for bit.")
    left = [key for key in reference if key not in loaded and identical(yours.get(key), initial[key])]
    if not loaded:
        hint = STRICT_FALSE_HINT
    elif left:
        hint = "Some keys still do not match the model's after your remapping, so their tensors were skipped."
    else:
        hint = "Load the checkpoint's tensors as they are: do not change their values or dtypes."
    if hidden:
        count_text = "none" if not loaded else "only some"
        return fail(
            f"Called {called}, then compared the model's tensors with the checkpoint's: {count_text} of the "
            "checkpoint's tensors are in the model; the reference loads all of them.",
            hint,
        )
    still = f" Still at their initial values: {listed(left)}." if left else ""
    return fail(
        f"Called {called}, then compared the model's tensors with the checkpoint's: {len(loaded)} of {total} "
        f"tensors loaded; the reference loads {total} of {total}.{still}",
        hint,
    )


@exercise.check(points=3, concept="checkpoints", needs=("loaded", "initial"))
def tensors_loaded(s: Observations, r: Observations) -> Verdict:
    """load_checkpoint loads every tensor of the checkpoint into the model"""
    return compare_loaded(f"{LOAD} on {PUBLIC_SETUP}", s["loaded"], r["loaded"], r["initial"])


@exercise.check(points=2, concept="checkpoints", needs=("loaded", "strict_missing", "strict_unexpected"))
def strict_loading(s: Observations, r: Observations) -> Verdict:
    """load_checkpoint raises on a checkpoint with a missing or an unexpected key"""
    cases = (
        ("strict_missing", "a checkpoint that lacks `module.fc.bias` (the model's head.bias would be missing)"),
        ("strict_unexpected", "a checkpoint with an extra `module.fc.scale` (head.scale is unexpected)"),
    )
    quiet = [text for key, text in cases if s[key].get("raised") is None]
    if quiet:
        expected = listed(sorted({str(r[key].get("raised")) for key, _ in cases}), quote="")
        return fail(
            f"Called {LOAD} with {' and with '.join(quiet)}: yours returned without an error; the reference "
            f"raises {expected}.",
            "Load strictly: `model.load_state_dict(...)` with strict=True, the default, raises when a key is "
            "missing or unexpected. strict=False would half-load such a checkpoint without a word.",
        )
    return ok(f"Called {LOAD} with a missing key and with an unexpected key: yours raised an error both times.")


@exercise.check(points=1, concept="checkpoints", needs=("remapped_hidden", "hidden_checkpoint_keys"), hidden=True)
def remapped_hidden(s: Observations, r: Observations) -> Verdict:
    """remap_keys is right on another model with other renames"""
    return compare_remapped(
        "remap_keys(checkpoint, renames) on another model with other renames",
        s["remapped_hidden"],
        r["remapped_hidden"],
        r["hidden_checkpoint_keys"],
        HIDDEN_RENAMES,
        hidden=True,
    )


@exercise.check(points=2, concept="checkpoints", needs=("loaded_hidden", "hidden_initial"), hidden=True)
def tensors_loaded_hidden(s: Observations, r: Observations) -> Verdict:
    """load_checkpoint loads every tensor on another model with other renames"""
    return compare_loaded(
        "load_checkpoint(model, checkpoint, renames) on another model with other renames",
        s["loaded_hidden"],
        r["loaded_hidden"],
        r["hidden_initial"],
        hidden=True,
    )
