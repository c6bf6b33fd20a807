"""ex12 — load a pretrained backbone into a model with a different head: filter a state_dict by
key and by shape, load what fits, leave the rest at its initial values."""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any

import torch
from torch import nn

from graders.checks import (
    compare_entries,
    compare_gradients,
    compare_keys,
    compare_loaded,
    compare_modes,
    compare_unchanged,
    count,
    describe,
    differing,
    identical,
    is_mapping,
    is_tensor,
    shape_text,
)
from graders.i18n import N_, Phrase, _
from graders.probe import Probe, entries, modules_in_eval_mode, named_tensors
from graders.spec import Claim, Exercise, Hint, Observations, Verdict, fail, ok

exercise = Exercise(
    id="ex12_partial_load",
    title=N_("Loading a pretrained backbone into a model with a new head"),
    hints=(
        Hint(
            N_(
                "Compare with model.state_dict(), which holds the buffers too, unlike named_parameters(). Go through "
                "the checkpoint's entries and keep one only if the model has its key and the model's tensor under that "
                "key has exactly the same shape: tensor by tensor, whatever the layer is called."
            ),
            checks=("filtered", "filtered_hidden"),
        ),
        Hint(
            N_("Build a new dict from the entries you keep; never delete from or assign to the dict you were given."),
            checks=("caller_dict_unchanged",),
        ),
        Hint(
            N_(
                "Load the filtered dict with the model's load_state_dict and strict=False: the keys you left out (the "
                "new head's) are then missing on purpose. Never copy in a tensor whose shape differs from the model's."
            ),
            checks=("backbone_loaded", "head_kept", "loaded_hidden"),
        ),
        Hint(N_("Return the keys of the dict you loaded, as a list in sorted order."), checks=("returns_loaded_keys",)),
        Hint(
            N_("Loading only copies values: leave requires_grad and the model's mode (training or eval) as they were."),
            checks=("gradients",),
        ),
    ),
    error_hints={
        "size mismatch": N_(
            "A tensor of the checkpoint has the same key as one of the model's but another shape "
            "(a head for another number of classes, say). load_state_dict raises on it even with strict=False: keep "
            "a tensor only if its key is in model.state_dict() and its shape is the same."
        ),
        "Missing key(s) in state_dict": N_(
            "After filtering, the new head's keys are missing from the dict on purpose: load it with strict=False."
        ),
        "KeyError": N_(
            "A key was looked up in a dict that does not have it. The model may have layers the checkpoint "
            "lacks, and the checkpoint layers the model lacks: look a key up in the other dict only after checking "
            "that it is there."
        ),
    },
)

FILTER = "compatible_tensors(model, checkpoint)"
LOAD = "load_pretrained(model, checkpoint)"
WITH = N_("{call} with {setup}")
SETUP = N_(
    "a checkpoint of a pretrained model (backbone, a 10-class head and an auxiliary classifier `aux`) and a "
    "model with the same backbone and an 18-class head"
)
HIDDEN_SETUP = N_("another pretrained model's checkpoint and another model, with other layer names and sizes")
BOTH = N_("{filter}, then {load} with the same checkpoint")
BACKWARD = N_("{call}, then model(x) on weights we set after loading")
BUFFERS = ("running_mean", "running_var", "num_batches_tracked")


def called_with(call: str, setup: str) -> str:
    return _(WITH).format(call=call, setup=_(setup))


class Net(nn.Module):
    """A small image classifier: a conv/batch-norm backbone, a linear head and, in the pretrained
    model, an auxiliary classifier."""

    def __init__(self, classes: int, aux: int = 0, features: int = 16):
        super().__init__()
        self.backbone = nn.Sequential(
            nn.Conv2d(3, features, 3), nn.BatchNorm2d(features), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten()
        )
        self.head = nn.Linear(features, classes)
        if aux:
            self.aux = nn.Linear(features, aux)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.backbone(x))


def make_checkpoint(p: Probe, source: nn.Module, name: str, secret: bool = False) -> OrderedDict[str, torch.Tensor]:
    """A pretrained model's state_dict: every tensor seeded by its first key (integer counts: a
    different one for each), a tensor the model holds under two keys the same object under both."""
    checkpoint, made = OrderedDict(), {}
    for index, (key, tensor) in enumerate(source.state_dict(keep_vars=True).items()):
        if id(tensor) not in made:
            made[id(tensor)] = (
                p.randn(f"{name}/{key}", *tensor.shape, secret=secret)
                if tensor.is_floating_point()
                else torch.full_like(tensor, 7 + index)
            )
        checkpoint[key] = made[id(tensor)]
    return checkpoint


def record_layout(p: Probe, name: str, checkpoint: Mapping[str, torch.Tensor], model: nn.Module) -> None:
    """What the checks need to explain a filter: the checkpoint's and the model's shapes, and the
    model's keys that name a tensor a second time (a module registered under two names)."""
    state, seen, aliases = model.state_dict(keep_vars=True), set(), []
    for key, tensor in state.items():
        if id(tensor) in seen:
            aliases.append(key)
        seen.add(id(tensor))
    p.record(
        name,
        {
            "checkpoint": {key: tuple(tensor.shape) for key, tensor in checkpoint.items()},
            "model": {key: tuple(tensor.shape) for key, tensor in state.items()},
            "aliases": aliases,
        },
    )


# -- hidden inputs: every kind of mismatch the assignment speaks of, under every seed -----------

HIDDEN_TRUNKS = ("features", "encoder", "body")
HIDDEN_HEADS = ("fc", "classifier", "logits")


class OtherNet(nn.Module):
    """The hidden checks' models: a trunk (a Sequential in a ModuleDict), a linear layer registered
    under two names, and layers whose shapes the pretrained model and the new one may not share."""

    def __init__(
        self,
        names: tuple[str, str],
        features: int,
        classes: int,
        neck_inputs: int,
        mix: tuple[int, int],
        aux: bool,
        extra: bool,
    ):
        super().__init__()
        trunk, head = names
        stage = nn.Sequential(nn.Linear(features, features, bias=False), nn.BatchNorm1d(features), nn.ReLU())
        self.add_module(trunk, nn.ModuleDict({"stage": stage}))
        self.proj = nn.Linear(features, features, bias=False)
        self.refine = nn.Sequential(self.proj, nn.ReLU())
        self.neck = nn.Linear(neck_inputs, features)
        self.mix = nn.Linear(*mix, bias=False)
        self.add_module(head, nn.Linear(features, classes, bias=False))
        if aux:
            self.aux = nn.Linear(features, 2, bias=False)
        if extra:
            self.extra = nn.Linear(features, features, bias=False)


def hidden_models(p: Probe) -> tuple[nn.Module, nn.Module]:
    """A pretrained model and the model that loads it. Always there: other names for the trunk and
    the head; a trunk nested two levels deep, with batch norm buffers; a head for more classes; a
    layer whose input size grew (its bias fits, its weight does not); a layer whose weight has as
    many values in another shape; a module registered under two names; a layer only the checkpoint
    has and one only the model has. The seed draws the names and the sizes."""
    names = (
        p.choice("hidden/trunk", HIDDEN_TRUNKS, secret=True),
        p.choice("hidden/head", HIDDEN_HEADS, secret=True),
    )
    features, classes, more, grown, small, larger = (
        p.randint(f"hidden/{name}", low, high, secret=True)
        for name, low, high in (
            ("features", 3, 6),
            ("classes", 2, 5),
            ("more", 1, 4),
            ("grown", 1, 3),
            ("small", 2, 4),
            ("larger", 1, 3),
        )
    )
    mix = (small, small + larger)
    pretrained = OtherNet(names, features, classes, features, mix, aux=True, extra=False)
    return pretrained, OtherNet(names, features, classes + more, features + grown, mix[::-1], aux=False, extra=True)


# -- recording -------------------------------------------------------------------------------


@exercise.probe
def probe(p: Probe) -> None:
    compatible = p.require("compatible_tensors")
    load = p.require("load_pretrained")

    checkpoint = make_checkpoint(p, Net(classes=10, aux=4), "pretrained")
    model = Net(classes=18)
    p.fill_parameters(model, "initial")
    initial = named_tensors(model, "state_dict")
    p.record("initial", initial)
    record_layout(p, "layout", checkpoint, model)
    with p.section():
        kept = p.observe("filtered", FILTER, compatible, model, checkpoint)
        p.record("filtered_is_given", kept is checkpoint)
    with p.section():  # the same model and checkpoint: filtering changes neither
        p.record("returned", p.call("loaded", LOAD, load, model, checkpoint))
        p.observe("loaded", _("reading the model's state_dict after loading"), named_tensors, model, "state_dict")
    p.record("checkpoint_after", entries(checkpoint))
    p.record("eval_modules", modules_in_eval_mode(model))
    with p.section():  # on weights of ours: whether the model still trains, whatever was loaded
        called = _(BACKWARD).format(call=LOAD)
        state = p.call(
            "gradients", _("reading the model's state_dict after loading"), named_tensors, model, "state_dict"
        )
        for key, tensor in state.items():
            if key in initial and tensor.shape != initial[key].shape:
                p.fail(
                    "gradients",
                    "Probe:Reshaped",
                    _("after {load}, your model's {key} has shape {yours}, not {initial}: model(x) cannot run").format(
                        load=LOAD, key=key, yours=shape_text(tensor.shape), initial=shape_text(initial[key].shape)
                    ),
                    called,
                )
        p.fill_parameters(model, "weights")
        output = p.call("gradients", called, model, p.randn("x", 2, 3, 6, 6))
        p.backward("gradients", called, output, dict(model.named_parameters()))

    if p.hidden:
        pretrained, model = hidden_models(p)
        checkpoint = make_checkpoint(p, pretrained, "hidden", secret=True)
        p.fill_parameters(model, "hidden-initial", secret=True)
        p.record("hidden_initial", named_tensors(model, "state_dict"))
        record_layout(p, "hidden_layout", checkpoint, model)
        with p.section():
            p.observe("filtered_hidden", called_with(FILTER, HIDDEN_SETUP), compatible, model, checkpoint)
        with p.section():
            called = called_with(LOAD, HIDDEN_SETUP)
            p.record("returned_hidden", p.call("loaded_hidden", called, load, model, checkpoint))
            p.observe(
                "loaded_hidden", _("reading the model's state_dict after loading"), named_tensors, model, "state_dict"
            )


# -- what a filter's keys show ---------------------------------------------------------------


def is_buffer(key: str) -> bool:
    return key.rsplit(".", 1)[-1] in BUFFERS


def layer_of(key: str) -> str:
    return key.rsplit(".", 1)[0]


# Why a key is where it should not be, or missing where it should be, each recognised from the
# checkpoint's and the model's shapes (see ``reasons``), in the order a student should read them.
REASONS = {
    "unknown": N_("The model has no such key: keep only keys that are in model.state_dict()."),
    "same_size": N_(
        "A tensor with as many values as the model's but another shape was kept: compare shapes, not sizes (numel)."
    ),
    "shape": N_(
        "A tensor whose key is the model's but whose shape is not was kept: filtering by key only is not enough, "
        "compare the shapes too (load_state_dict raises 'size mismatch' on such a tensor, even with strict=False)."
    ),
    "by_name": N_(
        "Your filter is right on the public model, where the tensors that do not fit are the head's: decide from "
        "each tensor's key and shape, whatever its layer is called."
    ),
    "buffer": N_(
        "Buffers such as batch norm's running_mean and running_var are in model.state_dict() but not in "
        "named_parameters(): filter against model.state_dict(), so that the pretrained statistics load too."
    ),
    "alias": N_(
        "The model registers a module under two names: model.state_dict() lists its tensors under both, "
        "named_parameters() only under the first. Filter against model.state_dict()."
    ),
    "layer": N_(
        "A tensor that fits was left out because another tensor of its layer does not fit (a layer whose input "
        "size changed keeps the checkpoint's bias): decide tensor by tensor."
    ),
}
EXAMPLE = N_("({key}: the checkpoint's has shape {checkpoint}, the model's {model}.)")


def misfits(layout: Mapping[str, Any]) -> list[str]:
    """The keys both the checkpoint and the model have, with other shapes."""
    checkpoint, model = layout["checkpoint"], layout["model"]
    return [key for key in checkpoint if key in model and checkpoint[key] != model[key]]


def reasons(
    extra: Sequence[str], missing: Sequence[str], layout: Mapping[str, Any], hidden: bool, public_right: bool = False
) -> str | None:
    """What the checkpoint's and the model's shapes show about keys a filter kept that it should not
    (``extra``) and keys it left out that it should have kept (``missing``); None if nothing we know.
    ``public_right``: the same filter was right on the public model."""
    checkpoint, model, aliases = layout["checkpoint"], layout["model"], set(layout["aliases"])
    wrong_shapes = misfits(layout)
    same_size = {key for key in wrong_shapes if math.prod(checkpoint[key]) == math.prod(model[key])}
    kept = [key for key in extra if key in wrong_shapes]
    # sizes compared instead of shapes: the tensors kept all have the model's size, one of another size was not
    compared_sizes = bool(kept) and set(kept) <= same_size and any(key not in same_size for key in wrong_shapes)
    found: dict[str, str] = {}  # reason -> a key that shows it
    for key in extra:
        kind = "unknown" if key not in model else ("same_size" if compared_sizes else "shape") if key in kept else ""
        if kind:
            found.setdefault(kind, key)
    if "shape" in found and public_right:
        found["by_name"] = found["shape"]
    misfit_layers = {layer_of(key) for key in wrong_shapes}
    for key in missing:
        kind = (
            "buffer"
            if is_buffer(key)
            else "alias"
            if key in aliases
            else "layer"
            if layer_of(key) in misfit_layers
            else ""
        )
        if kind:
            found.setdefault(kind, key)
    sentences = []
    for kind, text in REASONS.items():
        if kind in found:
            sentences.append(_(text))
            key = found[kind]
            if not hidden and kind in ("same_size", "shape"):
                sentences.append(
                    _(EXAMPLE).format(key=key, checkpoint=shape_text(checkpoint[key]), model=shape_text(model[key]))
                )
    return " ".join(sentences) or None


# -- judging ---------------------------------------------------------------------------------


def compare_filtered(
    called: str | Phrase,
    yours: Any,
    reference: Mapping[str, torch.Tensor],
    layout: Mapping[str, Any],
    hidden: bool,
    public_right: bool = False,
) -> Verdict:
    """compatible_tensors's dict against the reference's, with what the shapes show when its keys differ."""
    hint = None
    if is_mapping(yours) and set(yours) != set(reference):
        extra = [key for key in yours if key not in reference]
        missing = [key for key in reference if key not in yours]
        hint = reasons(extra, missing, layout, hidden, public_right)
    return compare_entries(called, yours, reference, hint, hidden)


def diagnose_load(
    yours: Mapping[str, Any],
    filtered: Mapping[str, torch.Tensor],
    initial: Mapping[str, Any],
    layout: Mapping[str, Any],
) -> str | None:
    """What the model's tensors show of a load that left out some that fit: values changed otherwise than
    to the checkpoint's, or tensors left at their initial values for a reason the shapes show."""
    rest = differing(yours, filtered)
    moved = set(differing(yours, initial))
    if any(is_tensor(yours.get(key)) and key in moved for key in rest):
        return _("Load the checkpoint's tensors as they are, without changing their values or dtypes.")
    return reasons((), [key for key in rest if key not in moved], layout, hidden=True)


def compare_kept(
    called: str | Phrase,
    yours: Mapping[str, Any],
    filtered: Mapping[str, torch.Tensor],
    initial: Mapping[str, torch.Tensor],
    layout: Mapping[str, Any],
    hidden: bool,
) -> Verdict:
    """Whether every tensor the reference leaves alone is as it was in the student's model."""
    for key in (key for key in initial if key not in filtered):
        tensor, before = yours.get(key), initial[key]
        name = _("one of its tensors") if hidden else key
        if not is_tensor(tensor):
            return fail(_("Called {called}: afterwards your model has no {name}.").format(called=called, name=name))
        if tensor.shape != before.shape:
            copied = tuple(tensor.shape) == tuple(layout["checkpoint"].get(key, ()))
            message = (
                _("Called {called}: afterwards one of your model's tensors has another shape than before.")
                if hidden
                else _(
                    "Called {called}: afterwards your model's {key} has shape {yours}; it must keep its shape {shape}."
                )
            )
            return fail(
                message.format(called=called, key=key, yours=shape_text(tensor.shape), shape=shape_text(before.shape)),
                _(
                    "It has the checkpoint's shape: the checkpoint's tensor was copied in anyway (with "
                    "`param.data = tensor`, say). Skip tensors whose shape differs from the model's."
                )
                if copied
                else None,
            )
        if not identical(tensor, before):
            return fail(
                _(
                    "Called {called}: afterwards your model's {name} is no longer at its initial values, though the "
                    "checkpoint has no tensor of its shape for it."
                ).format(called=called, name=name),
                _("Change only the tensors you load from the checkpoint."),
            )
    return ok(
        _("Called {called}: every tensor that does not fit kept its shape and initial values.").format(called=called)
    )


def compare_returned(called: str | Phrase, yours: Any, reference: list[str], hidden: bool) -> Verdict:
    """Whether the student returned the reference's list: the loaded keys, sorted."""
    if not isinstance(yours, list):
        hint = (
            _("A function without `return` gives None: return the list of keys you loaded.") if yours is None else None
        )
        return fail(
            _(
                "Called {called}: yours returned {what}; the reference returns a list of the {count} keys it loaded."
            ).format(called=called, what=describe(yours), count=count(len(reference))),
            hint,
        )
    your_keys = [key if isinstance(key, str) else describe(key) for key in yours]
    if set(your_keys) != set(reference):
        return compare_keys(called, your_keys, reference, hidden=hidden, what=N_("list"))
    if len(your_keys) != len(reference):
        return fail(_("Called {called}: the list you returned repeats some keys.").format(called=called))
    if your_keys != reference:
        if hidden:
            return fail(
                _("Called {called}: your list has the reference's keys, in another order.").format(called=called),
                _("The assignment asks for the keys in sorted order."),
            )
        index = next(
            index for index, (mine, theirs) in enumerate(zip(your_keys, reference, strict=True)) if mine != theirs
        )
        return fail(
            _(
                "Called {called}: your list has the reference's keys, but not sorted: at position {index} yours has "
                "{yours}, the reference's {reference}."
            ).format(called=called, index=index, yours=repr(your_keys[index]), reference=repr(reference[index])),
            _("The assignment asks for the keys in sorted order."),
        )
    return ok(
        _("Called {called}: you returned the {count} keys that were loaded, sorted.").format(
            called=called, count=count(len(reference))
        )
    )


@exercise.check(points=3, concept="parameters", needs=("filtered", "layout"))
def filtered(s: Observations, r: Observations) -> Verdict:
    """compatible_tensors keeps the backbone's 7 tensors and drops the head and aux"""
    return compare_filtered(called_with(FILTER, SETUP), s["filtered"], r["filtered"], r["layout"], hidden=False)


@exercise.check(
    points=1,
    concept="checkpoints",
    needs=("filtered", "filtered_is_given", "checkpoint_after"),
)
def caller_dict_unchanged(s: Observations, r: Observations) -> Verdict:
    """compatible_tensors returns a new dict; it and load_pretrained leave the caller's checkpoint as it was"""
    hint = _(
        "Build a new dict from the entries you keep: `del`, `pop` or assigning to the dict you were given changes "
        "the caller's checkpoint, and the caller may still need it (to load it into a second model, say)."
    )
    verdict = compare_unchanged(
        _(BOTH).format(filter=FILTER, load=LOAD), s["checkpoint_after"], r["checkpoint_after"], hint
    )
    if not verdict.passed:
        return verdict
    if s["filtered_is_given"]:
        return fail(
            _("Called {called}: yours returned the very dict we passed in; the reference returns a new one.").format(
                called=FILTER
            ),
            _("Return a new dict: the caller may change what you return without expecting its checkpoint to change."),
        )
    return ok(
        _("compatible_tensors returns a new dict, and after it and load_pretrained the dict we passed in is unchanged.")
    )


@exercise.check(points=3, concept="checkpoints", needs=("loaded", "filtered", "initial", "layout"))
def backbone_loaded(s: Observations, r: Observations) -> Verdict:
    """load_pretrained loads every backbone tensor, buffers included, bit for bit"""
    called = called_with(LOAD, SETUP)
    yours, filtered, initial = s["loaded"], r["filtered"], r["initial"]
    return compare_loaded(called, yours, filtered, initial, diagnose_load(yours, filtered, initial, r["layout"]))


@exercise.check(points=2, concept="checkpoints", needs=("loaded", "filtered", "initial", "layout"))
def head_kept(s: Observations, r: Observations) -> Verdict:
    """load_pretrained leaves the new 18-class head at its initial values and shapes"""
    called = called_with(LOAD, SETUP)
    return compare_kept(called, s["loaded"], r["filtered"], r["initial"], r["layout"], hidden=False)


@exercise.check(points=2, concept="checkpoints", needs=("loaded", "returned"))
def returns_loaded_keys(s: Observations, r: Observations) -> Verdict:
    """load_pretrained returns the list of keys it loaded, sorted"""
    return compare_returned(called_with(LOAD, SETUP), s["returned"], r["returned"], hidden=False)


@exercise.check(points=2, concept="autograd", needs=("loaded", "eval_modules", "gradients"))
def gradients(s: Observations, r: Observations) -> Verdict:
    """after load_pretrained the model keeps its mode and still trains: every gradient matches the reference's"""
    verdict = compare_modes(
        LOAD,
        s["eval_modules"],
        r["eval_modules"],
        _("Loading changes values only: leave model.eval() to the code that evaluates."),
    )
    if not verdict.passed:
        return verdict
    return compare_gradients(_(BACKWARD).format(call=LOAD), s["gradients"], r["gradients"])


@exercise.check(points=2, concept="parameters", needs=("filtered_hidden", "hidden_layout"), hidden=True)
def filtered_hidden(s: Observations, r: Observations) -> Verdict:
    """compatible_tensors is right on another model with other names and sizes"""
    called = called_with(FILTER, HIDDEN_SETUP)
    public_right = is_mapping(s.get("filtered")) and set(s["filtered"]) == set(r["filtered"])
    yours, reference, layout = s["filtered_hidden"], r["filtered_hidden"], r["hidden_layout"]
    return compare_filtered(called, yours, reference, layout, hidden=True, public_right=public_right)


@exercise.check(
    points=3,
    concept="checkpoints",
    needs=("loaded_hidden", "returned_hidden", "filtered_hidden", "hidden_initial", "hidden_layout"),
    hidden=True,
)
def loaded_hidden(s: Observations, r: Observations) -> Verdict:
    """load_pretrained is right on another model with other names and sizes"""
    called = called_with(LOAD, HIDDEN_SETUP)
    state, fits, initial, layout = s["loaded_hidden"], r["filtered_hidden"], r["hidden_initial"], r["hidden_layout"]
    for verdict in (
        compare_loaded(called, state, fits, hint=diagnose_load(state, fits, initial, layout), hidden=True),
        compare_kept(called, state, fits, initial, layout, hidden=True),
        compare_returned(called, s["returned_hidden"], r["returned_hidden"], hidden=True),
    ):
        if not verdict.passed:
            return verdict
    return ok(
        _("Called {called}: every tensor is as the reference leaves it, and you returned its keys.").format(
            called=called
        )
    )


exercise.claims = (
    Claim(
        "the backbone's tensors have the same names and shapes in both: load them", ("backbone_loaded", "loaded_hidden")
    ),
    Claim("so it must *not* be loaded: it keeps its fresh initial values", ("filtered", "head_kept", "loaded_hidden")),
    Claim("the checkpoint may hold layers your model does not have", ("filtered", "filtered_hidden")),
    Claim("Write two functions:", ("filtered", "backbone_loaded")),
    Claim(
        "``compatible_tensors(model, state_dict)`` returns a new dict with the entries of ``state_dict``",
        ("filtered", "caller_dict_unchanged", "filtered_hidden"),
    ),
    Claim("Decide tensor by tensor", ("filtered_hidden",)),
    Claim("Use ``model.state_dict()``, not ``named_parameters()``", ("filtered", "filtered_hidden")),
    Claim(
        "loads the compatible tensors into ``model`` (in place), leaves every other tensor",
        ("backbone_loaded", "head_kept", "returns_loaded_keys", "loaded_hidden"),
    ),
    Claim("Loading changes the values of the model's tensors and nothing else", ("gradients",)),
    Claim(">>> checkpoint = pretrained.state_dict()", ("filtered", "returns_loaded_keys")),
    Claim("Filtering by key alone is not enough", ("filtered", "head_kept")),
    Claim("Copying it anyway, with ``param.data = tensor``, is worse", ("head_kept",)),
    Claim("After filtering, load with ``strict=False``", ("backbone_loaded", "head_kept")),
    Claim("The entries of ``state_dict`` whose key is in ``model.state_dict()`` with the same shape.", ("filtered",)),
    Claim(
        "Load the compatible tensors of ``state_dict`` into ``model``; return their keys, sorted.",
        ("backbone_loaded", "returns_loaded_keys"),
    ),
)
exercise.prose = (
    "Exercise 12 — Loading a pretrained backbone into a model with a new head.",
    "Transfer learning starts from a network trained on another task",
    "The pretrained checkpoint then fits your model only in part:",
)
