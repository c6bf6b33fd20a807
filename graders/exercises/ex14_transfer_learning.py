"""ex14 — the capstone: an 18-class classifier from a pretrained backbone (load, replace the head,
freeze all but the last block), and the list of parameters an optimizer should get.

The probe writes the "pretrained" checkpoint itself, with its own copy of the given code (below),
into the worker's private directory, and hands its path to the student's ``build_classifier``.
The parent compares the model's tensors, flags, outputs and gradients with the reference's. The
gradients are taken with the reference's weights loaded into the student's model, so that they
differ only where the student's freezing or computation does.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import torch
from torch import nn

from graders.checks import (
    compare_fields,
    compare_gradients,
    compare_shapes,
    compare_values,
    count,
    identical,
    listed,
    values_match,
)
from graders.i18n import N_, Phrase, _, ngettext
from graders.probe import (
    Probe,
    build_module,
    describe_module,
    modules_in_eval_mode,
    named_tensors,
    requires_grad_of,
    type_name,
)
from graders.spec import Claim, Exercise, Hint, Observations, Verdict, fail, ok

exercise = Exercise(
    id="ex14_transfer_learning",
    preload=("torch._dynamo",),  # the probe trains with torch.optim
    title=N_("Transfer learning: an 18-class mask classifier from a pretrained backbone"),
    hints=(
        Hint(
            N_(
                "Load before you change anything: build the given Backbone as it was saved (10 outputs) and load the "
                "checkpoint into it. torch.load gives you the dict the file holds; its 'state_dict' entry is what "
                "load_state_dict takes. Keep the default strict loading: an error there is information, not an "
                "obstacle."
            ),
            checks=("backbone_loaded", "logits_values", "hidden_checkpoint", "hidden_logits"),
        ),
        Hint(
            N_(
                "Then replace the head: assigning a module to an attribute of the model registers it in place of the "
                "old one. The new head is a Linear layer with the old head's number of inputs and NUM_CLASSES outputs."
            ),
            checks=("head_replaced", "logits_shape"),
        ),
        Hint(
            N_(
                "Freeze through each parameter's own requires_grad flag: requires_grad_ (with the underscore) sets it, "
                "on one parameter or on every parameter of a module. Freeze everything, then let block3 train again; "
                "a layer made after the freeze, like the new head, trains by itself. Setting an attribute named "
                "requires_grad on a module, or calling eval(), freezes nothing."
            ),
            checks=("requires_grad_flags", "training_step"),
        ),
        Hint(
            N_(
                "trainable_parameters looks at nothing but each parameter's requires_grad flag, going through "
                "model.parameters() in its order. It must not rely on the Backbone's block names: it is also given "
                "other models."
            ),
            checks=("trainable_parameters", "trainable_hidden"),
        ),
        Hint(
            N_(
                "A new module starts in training mode; eval() is for evaluation and freezes nothing. Return the model "
                "training (the frozen blocks alone may be in evaluation mode)."
            ),
            checks=("training_mode",),
        ),
    ),
    error_hints={
        'Unexpected key(s) in state_dict: "arch"': N_(
            "You passed the whole checkpoint to load_state_dict. The file "
            "holds a dict; the backbone's weights are its 'state_dict' entry, and that entry is what load_state_dict "
            "takes."
        ),
        "size mismatch for fc.": N_(
            "The checkpoint's head has 10 outputs. Load it into a Backbone as it was saved, "
            "then replace the head with the 18-way one (or leave the fc.* keys out of what you load)."
        ),
    },
)

CHECKPOINT = "pretrained_backbone.pt"
HIDDEN_CHECKPOINT = "another_backbone.pt"
IMAGES = (4, 3, 32, 32)
STEP_IMAGES = (8, 3, 32, 32)
LEARNING_RATE = 0.1
HIDDEN_INPUTS = 2
TRAINED = ("block3", "fc")  # the parts that stay trainable; everything else is frozen
BUFFER_SUFFIXES = ("running_mean", "running_var", "num_batches_tracked")
CALLED = "build_classifier(path)"
HIDDEN_CALLED = Phrase(N_("{called} with another checkpoint"), called=CALLED)
LOGITS_CALLED = Phrase(N_("model(x) in eval mode, with the reference's head weights loaded into your model.fc"))
HIDDEN_LOGITS_CALLED = Phrase(N_("model(x) with another checkpoint, on hidden inputs of other batch and image sizes"))
STEP_CALLED = Phrase(
    N_(
        "model(x) in training mode on a batch of {count} images, with the reference's weights loaded into your "
        "model, then backward() and one SGD step (lr {lr}) over model.parameters()"
    ),
    count=STEP_IMAGES[0],
    lr=LEARNING_RATE,
)
TRAINABLE_CALLED = "trainable_parameters(model)"
HIDDEN_TRAINABLE_CALLED = Phrase(N_("{called} on another model"), called=TRAINABLE_CALLED)


# ---- A copy of the given code the probe needs: the backbone's layers and its "pretrained" checkpoint.
# The probe makes the checkpoint with this copy, not the student's. The reference run fails (and with
# it the test suite) if this copy and the solution's drift apart.


def conv_block(in_channels: int, out_channels: int, stride: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False),
        nn.BatchNorm2d(out_channels),
        nn.ReLU(),
    )


class Backbone(nn.Module):
    def __init__(self, num_classes: int = 10):
        super().__init__()
        self.stem = conv_block(3, 8, stride=1)
        self.block1 = conv_block(8, 16, stride=2)
        self.block2 = conv_block(16, 32, stride=2)
        self.block3 = conv_block(32, 64, stride=2)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(64, num_classes)


def pretrained_state_dict(seed: int) -> dict[str, torch.Tensor]:
    generator = torch.Generator().manual_seed(seed)
    with torch.device("meta"):
        template = Backbone().state_dict()
    state = {}
    for name, tensor in template.items():
        shape = tuple(tensor.shape)
        if name.endswith("num_batches_tracked"):
            state[name] = torch.tensor(1000)
        elif name.endswith("running_var"):
            state[name] = 0.5 + torch.rand(shape, generator=generator)
        elif name.endswith(("running_mean", "bias")):
            state[name] = 0.1 * torch.randn(shape, generator=generator)
        elif tensor.dim() == 1:
            state[name] = 1 + 0.1 * torch.randn(shape, generator=generator)
        else:
            fan_in = tensor[0].numel()
            state[name] = torch.randn(shape, generator=generator) * (2 / fan_in) ** 0.5
    return state


PRETRAINED_SEED = 2024


def make_pretrained_checkpoint(path: str, seed: int) -> None:
    checkpoint = {"arch": "Backbone", "num_classes": 10, "state_dict": pretrained_state_dict(seed)}
    torch.save(checkpoint, path)


# ---- The probe. -------------------------------------------------------------------------------


class Composite(nn.Module):
    """A model unlike the Backbone, for trainable_parameters: a parameter of the root itself, a
    ModuleDict holding a Sequential, a submodule used twice, and a frozen block among trainable
    parts. Nothing calls it."""

    def __init__(self, width: int, classes: int):
        super().__init__()
        self.temperature = nn.Parameter(torch.ones(()))
        shared = nn.Linear(width, width)
        self.encoder = nn.ModuleDict(
            {"embed": nn.Sequential(nn.Linear(width, width), nn.BatchNorm1d(width)), "mix": shared}
        )
        self.decoder = nn.Sequential(shared, nn.ReLU(), nn.Linear(width, classes))
        self.encoder["embed"].requires_grad_(False)


def digest(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def head_of(p: Probe, key: str, model: nn.Module) -> nn.Module | None:
    """The model's ``fc`` if it is a module (the reference's head weights can be loaded into it), else None."""
    head = p.call(key, "model.fc", getattr, model, "fc", None)
    return head if isinstance(head, nn.Module) else None


def record_trainable(
    p: Probe, key: str, called: str | Phrase, list_trainable: Callable[..., Any], model: nn.Module
) -> None:
    """What trainable_parameters(model) returned, in its order: each item as the name of the model's
    parameter it is, or as ``<type>`` when it is none of them."""
    returned = p.call(key, called, list_trainable, model)
    items = p.call(key, f"list({called})", list, returned)
    names = {id(parameter): name for name, parameter in model.named_parameters()}
    p.record(key, [names.get(id(item), f"<{type_name(item)}>") for item in items])


def sgd_step(model: nn.Module) -> None:
    """One step of ``torch.optim.SGD(model.parameters(), lr)`` with the gradients backward() left:
    a parameter without a gradient (a frozen one) is left alone."""
    torch.optim.SGD(model.parameters(), lr=LEARNING_RATE).step()


@exercise.probe
def probe(p: Probe) -> None:
    build_classifier = p.require("build_classifier")
    list_trainable = p.require("trainable_parameters")
    path = os.path.join(os.getcwd(), CHECKPOINT)
    make_pretrained_checkpoint(path, PRETRAINED_SEED)

    model = build_module(p, "model", CALLED, build_classifier, path, fatal=True)
    p.observe("state", "model.state_dict()", named_tensors, model, "state_dict")
    p.observe("fc", "model.fc", lambda: describe_module(getattr(model, "fc", None)))
    p.observe("requires_grad", _("reading each parameter's requires_grad"), requires_grad_of, model)
    p.observe("eval_modules", _("reading each module's mode"), modules_in_eval_mode, model)
    p.observe(
        "requires_grad_attributes",
        _("looking for requires_grad attributes"),
        lambda: [name or "model" for name, module in model.named_modules() if "requires_grad" in vars(module)],
    )

    with p.section():
        record_trainable(p, "trainable", TRAINABLE_CALLED, list_trainable, model)

    with p.section():
        head = head_of(p, "logits", model)
        if head is not None:
            p.call("logits", _("loading the reference's head weights into model.fc"), p.fill_parameters, head, "head")
        p.record("head_loaded", head is not None)
        p.call("logits", "model.eval()", model.eval)
        with torch.no_grad():
            p.observe("logits", "model(x)", model, p.randn("x", *IMAGES))

    with p.section():
        p.call("step_logits", _("loading the reference's weights into your model"), p.fill_parameters, model, "step")
        p.call("step_logits", "model.train()", model.train)
        p.observe("before_step", _("reading the parameters"), named_tensors, model)
        images = p.randn("step/images", *STEP_IMAGES)
        logits = p.observe(
            "step_logits", _("model(x) on a batch of {count} images").format(count=STEP_IMAGES[0]), model, images
        )
        p.backward("gradients", STEP_CALLED, logits, dict(model.named_parameters()))
        p.call("after_step", _("one SGD step over model.parameters()"), sgd_step, model)
        p.observe("after_step", _("reading the parameters after the step"), named_tensors, model)

    if p.hidden:
        hidden_path = os.path.join(os.getcwd(), HIDDEN_CHECKPOINT)
        make_pretrained_checkpoint(hidden_path, p.randint("hidden/seed", 1, 2**31 - 1, secret=True))
        with p.section():
            hidden = build_module(p, "hidden_state", HIDDEN_CALLED, build_classifier, hidden_path)
            p.observe("hidden_state", "model.state_dict()", named_tensors, hidden, "state_dict")
            p.record("hidden_file", digest(hidden_path))
            head = head_of(p, "hidden_logits0", hidden)
            if head is not None:
                p.call("hidden_logits0", _("loading hidden head weights"), p.fill_parameters, head, "hidden-head", True)
            p.record("hidden_head_loaded", head is not None)
            p.call("hidden_logits0", "model.eval()", hidden.eval)
            for i in range(HIDDEN_INPUTS):
                batch = p.randint(f"hidden{i}/batch", 1, 9, secret=True)
                side = p.randint(f"hidden{i}/side", 16, 48, secret=True)
                with torch.no_grad():
                    x = p.randn(f"hidden{i}/x", batch, 3, side, side, secret=True)
                    p.observe(f"hidden_logits{i}", HIDDEN_LOGITS_CALLED, hidden, x)

        width, classes = (p.randint(f"hidden/{name}", 3, 6, secret=True) for name in ("width", "classes"))
        with p.section():
            record_trainable(p, "trainable_hidden", HIDDEN_TRAINABLE_CALLED, list_trainable, Composite(width, classes))


# ---- Checks. ------------------------------------------------------------------------------------


def is_head(name: str) -> bool:
    return name.startswith("fc.")


def in_part(name: str, parts: Iterable[str]) -> bool:
    return any(name == part or name.startswith(part + ".") for part in parts)


def backbone_differences(yours: Mapping[str, Any], reference: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """The reference's backbone (non-head) tensors your state_dict lacks, and those that differ."""
    missing, different = [], []
    for name, tensor in reference.items():
        if is_head(name):
            continue
        if name not in yours:
            missing.append(name)
        elif not identical(yours[name], tensor):
            different.append(name)
    return missing, different


def backbone_matches(yours: Mapping[str, Any], reference: Mapping[str, Any]) -> bool:
    missing, different = backbone_differences(yours, reference)
    return not missing and not different


def judge_backbone(yours: Mapping[str, Any], reference: Mapping[str, Any], called: str | Phrase) -> Verdict:
    missing, different = backbone_differences(yours, reference)
    total = sum(not is_head(name) for name in reference)
    if missing:
        theirs = [name for name in yours if not is_head(name)]
        example = _(" (it has, for example, {names})").format(names=listed(theirs, 2, quote="`")) if theirs else ""
        return fail(
            _("Called {called}: your model's state_dict has no {names}{example}.").format(
                called=called, names=listed(missing, 4, quote="`"), example=example
            ),
            _(
                "Return the Backbone itself, with its given attribute names (stem, block1, block2, block3, fc), "
                "not a new model or a wrapper around it: the checkpoint's keys must stay the model's keys."
            ),
        )
    if not different:
        return ok(
            _(
                "Called {called}: all {total} backbone tensors (parameters and BatchNorm buffers) equal the "
                "checkpoint's, bit for bit."
            ).format(called=called, total=count(total))
        )
    if len(different) == total:
        return fail(
            _(
                "Called {called}: none of your model's {total} backbone tensors equals the checkpoint's: the "
                "weights were never loaded, so your backbone is randomly initialised."
            ).format(called=called, total=count(total)),
            _(
                "Load the checkpoint's 'state_dict' entry with load_state_dict, strict as by default. "
                "`strict=False` would hide exactly this: it skips every key that does not match (given the whole "
                "checkpoint dict, all of them) and only lists them in its return value."
            ),
        )
    if all(name.endswith(BUFFER_SUFFIXES) for name in different):
        return fail(
            _("Called {called}: your parameters equal the checkpoint's, but {names} do not.").format(
                called=called, names=listed(different, 4, quote="`")
            ),
            _(
                "Those are BatchNorm buffers (running statistics), part of the state_dict but not of parameters(): "
                "copying named_parameters() misses them. load_state_dict loads both."
            ),
        )
    return fail(
        _("Called {called}: {count} of {total} backbone tensors differ from the checkpoint's: {names}.").format(
            called=called, count=count(len(different)), total=count(total), names=listed(different, 4, quote="`")
        ),
        _("Load the checkpoint's 'state_dict' with load_state_dict and do not change the backbone's tensors after."),
    )


@exercise.check(points=2, concept="checkpoints", needs=("state",))
def backbone_loaded(s: Observations, r: Observations) -> Verdict:
    """The backbone's parameters and buffers equal the checkpoint's, bit for bit"""
    return judge_backbone(s["state"], r["state"], CALLED)


FC_LABELS = {
    "in_features": N_("{value} input features"),
    "out_features": N_("{value} outputs"),
    "bias": N_("bias={value}"),
}


@exercise.check(points=1, concept="tree", needs=("fc",))
def head_replaced(s: Observations, r: Observations) -> Verdict:
    """model.fc is a new Linear(64, 18)"""
    yours = s["fc"]
    if yours is not None and yours.get("type") == "Linear" and yours.get("out_features") == 10:
        return fail(
            _("Your model.fc still has 10 outputs: it is the pretrained head, not replaced."),
            _("After loading, give the model's fc attribute a new Linear layer with NUM_CLASSES outputs."),
        )
    return compare_fields(
        "model.fc",
        yours,
        r["fc"],
        FC_LABELS,
        missing_hint=_("Keep the head's name: the new Linear layer goes to the model's fc attribute."),
    )


def flag_problems(s: Observations, r: Observations) -> Verdict | None:
    """What the student's requires_grad flags show against the reference's, or None when they agree."""
    yours, reference = s["requires_grad"], r["requires_grad"]
    missing = [name for name in reference if name not in yours]
    if missing:
        return fail(
            _("Your model has no parameter {names}.").format(names=listed(missing, 4, quote="`")),
            _("Keep the given Backbone's names and replace only its fc."),
        )
    if yours == reference:
        return None
    frozen = [name for name, flag in reference.items() if not flag]
    if all(yours.values()):
        attributes = s.get("requires_grad_attributes") or []
        evaluated = [name for name in ("stem", "block1", "block2") if name in (s.get("eval_modules") or ())]
        if attributes:
            why = _(
                "You set a plain attribute `requires_grad` on {names}: `module.requires_grad = False` creates an "
                "attribute and freezes nothing. Use the method `module.requires_grad_(False)` (with the underscore), "
                "or set each parameter's own requires_grad."
            ).format(names=listed(attributes, 4, quote="`"))
        elif evaluated:
            why = _(
                "Your frozen blocks are in evaluation mode, but eval() does not freeze: it changes how BatchNorm and "
                "Dropout compute, and gradients still flow. Freezing is each parameter's requires_grad."
            )
        else:
            why = _("Set requires_grad to False on every parameter of stem, block1 and block2.")
        return fail(
            _(
                "Every one of your model's {count} parameters requires grad: nothing is frozen (the reference "
                "freezes {frozen}: stem, block1 and block2)."
            ).format(count=count(len(yours)), frozen=count(len(frozen))),
            why,
        )
    if not any(yours.values()):
        return fail(
            _(
                "None of your model's parameters requires grad: everything is frozen, block3 and the new head "
                "included, so training cannot change anything."
            ),
            _(
                "Freeze before you replace the head (a new layer's parameters require grad), and let block3 train "
                "again (requires_grad_(True) on it)."
            ),
        )
    should_train = [name for name, flag in reference.items() if flag and not yours[name]]
    should_freeze = [name for name, flag in reference.items() if not flag and yours[name]]
    parts = []
    if should_train:
        parts.append(_("{names} do not require grad, but should").format(names=listed(should_train, 4, quote="`")))
    if should_freeze:
        parts.append(_("{names} require grad, but should be frozen").format(names=listed(should_freeze, 4, quote="`")))
    if any(name.startswith("block3.") for name in should_train):
        hint = _("block3 is the last block: it stays trainable, with the head. Freeze only stem, block1 and block2.")
    elif any(is_head(name) for name in should_train):
        hint = _("The new head must be trainable: replace fc after freezing, or let it train again.")
    else:
        hint = _("Freeze every parameter of stem, block1 and block2, and only those.")
    return fail(_("In your model, {parts}.").format(parts=_("; ").join(parts)), hint)


@exercise.check(points=2, concept="autograd", needs=("requires_grad",))
def requires_grad_flags(s: Observations, r: Observations) -> Verdict:
    """stem, block1 and block2 are frozen; block3 and fc require grad"""
    problem = flag_problems(s, r)
    if problem:
        return problem
    trainable = [name for name, flag in r["requires_grad"].items() if flag]
    return ok(_("Exactly the right parameters require grad: {names}.").format(names=listed(trainable, 5, quote="`")))


@exercise.check(points=1, concept="forward", needs=("logits",))
def logits_shape(s: Observations, r: Observations) -> Verdict:
    """model(x) gives logits of shape (4, 18) for x of shape (4, 3, 32, 32)"""
    return compare_shapes(
        _("{called} with x of shape {shape}").format(called="model(x)", shape=IMAGES),
        s["logits"],
        r["logits"],
        hint=_("One logit per class: the head needs NUM_CLASSES (18) outputs."),
    )


def diagnose_logits(s: Observations, r: Observations, state: str) -> Callable[[torch.Tensor, torch.Tensor], str]:
    """What the recorded tensors show about wrong logits: the backbone's weights, the head, or, when
    both are the reference's, the computation itself."""

    def diagnosis(yours: torch.Tensor, reference: torch.Tensor) -> str:
        if state in s and not backbone_matches(s[state], r[state]):
            return _("Your backbone's weights are not the checkpoint's (see the check on loading the backbone).")
        if s.get("fc") != r["fc"]:
            return _("Your model.fc is not the reference's kind of head (see the check on model.fc).")
        return _(
            "Your backbone's tensors and your head are the reference's, so your model computes something else "
            "with them than the given Backbone does: the given code must stay as it is."
        )

    return diagnosis


NO_HEAD = N_(
    "Called {called}: your model has no layer `fc`, so the reference's head weights could not be loaded into it; "
    "the reference's logits are computed with them."
)


@exercise.check(points=2, concept="checkpoints", needs=("logits", "head_loaded"))
def logits_values(s: Observations, r: Observations) -> Verdict:
    """With the reference's head weights, model(x) in eval mode equals the reference's logits"""
    if not s["head_loaded"]:
        return fail(_(NO_HEAD).format(called=LOGITS_CALLED))
    return compare_values(LOGITS_CALLED, s["logits"], r["logits"], diagnose_logits(s, r, "state"))


@exercise.check(points=2, concept="autograd", needs=("before_step", "after_step", "gradients", "step_logits"))
def training_step(s: Observations, r: Observations) -> Verdict:
    """backward() and an SGD step give block3 and fc the reference's gradients, and frozen parameters none"""
    before, after, reference = s["before_step"], s["after_step"], r["requires_grad"]
    missing = [name for name in reference if name not in before or name not in after]
    if missing:
        return fail(
            _("Called {called}: your model has no parameter {names}.").format(
                called=STEP_CALLED, names=listed(missing, 4, quote="`")
            ),
            _("Keep the given Backbone's names and replace only its fc."),
        )
    changed = {name: not identical(after[name], before[name]) for name in reference}
    moved = [name for name, flag in reference.items() if not flag and changed[name]]
    stuck = [name for name, flag in reference.items() if flag and not changed[name]]
    if moved or stuck:
        parts = []
        if moved:
            parts.append(_("frozen parameters changed: {names}").format(names=listed(moved, 4, quote="`")))
        if stuck:
            parts.append(
                _("parameters that should train did not change: {names}").format(names=listed(stuck, 4, quote="`"))
            )
        if not any(s["requires_grad"].values()):
            hint = _("No parameter of your model requires grad, so there is nothing to train.")
        elif moved:
            hint = _(
                "The optimizer updates every parameter that gets a gradient; a parameter gets none only if its "
                "requires_grad is False. See the check on requires_grad."
            )
        else:
            hint = _(
                "Parameters with requires_grad False get no gradient and never change: see the check on requires_grad."
            )
        return fail(_("Called {called}: {parts}.").format(called=STEP_CALLED, parts=_("; ").join(parts)), hint)
    shapes = all(before[name].shape == tensor.shape for name, tensor in r["before_step"].items())
    if not shapes:
        return ok(
            _(
                "Called {called}: the frozen parameters stayed the same, bit for bit, and block3 and fc changed. "
                "(Their gradients are not compared with the reference's: your head's shape is not the reference's, "
                "see the check on model.fc.)"
            ).format(called=STEP_CALLED)
        )
    output_matches = values_match(s["step_logits"], r["step_logits"])
    verdict = compare_gradients(STEP_CALLED, s["gradients"], r["gradients"], output_matches=output_matches)
    if not verdict.passed:
        return verdict
    return ok(
        _(
            "Called {called}: block3 and fc received the reference's gradients and changed; the frozen parameters "
            "received none and stayed the same, bit for bit."
        ).format(called=STEP_CALLED)
    )


def judge_trainable(called: str | Phrase, yours: list[str], wanted: list[str], hidden: bool) -> Verdict:
    """What trainable_parameters returned (names of the model's parameters, or ``<type>`` for other
    items) against the parameters that require grad, in the model's order."""
    if yours == wanted:
        return ok(
            _(
                "Called {called}: it returned exactly the {count} parameters that require grad, in the model's order."
            ).format(called=called, count=count(len(wanted)))
        )
    others = sorted({item for item in yours if item.startswith("<")})
    if others:
        return fail(
            _("Called {called}: it returned {kinds} items, not the model's parameters.").format(
                called=called, kinds=listed(others, 2, quote="`")
            ),
            _("Return the parameter tensors themselves, as model.parameters() yields them."),
        )
    extra = [name for name in dict.fromkeys(yours) if name not in wanted]
    absent = [name for name in wanted if name not in yours]
    duplicated = [name for name in dict.fromkeys(yours) if yours.count(name) > 1]
    if not extra and not absent and not duplicated:
        return fail(
            _("Called {called}: it returned the parameters that require grad, but not in the model's order.").format(
                called=called
            ),
            _("model.parameters() yields them in the model's order: keep it."),
        )

    def which(names: list[str]) -> str:
        if hidden:
            return ngettext("{count} parameter", "{count} parameters", len(names)).format(count=count(len(names)))
        return listed(names, 4, quote="`")

    parts, hints = [], []
    if extra:
        parts.append(_("returned although they do not require grad: {which}").format(which=which(extra)))
        hints.append(_("Keep only the parameters whose requires_grad is True, whatever their names."))
    if absent:
        parts.append(_("left out although they require grad: {which}").format(which=which(absent)))
        hints.append(
            _(
                "model.parameters() holds every parameter of the model, its own and those of every submodule at any "
                "depth, whatever their names."
            )
        )
    if duplicated:
        parts.append(_("returned more than once: {which}").format(which=which(duplicated)))
        hints.append(
            _(
                "model.parameters() yields each parameter once, also one that two modules share; going through the "
                "modules one by one meets a shared one twice."
            )
        )
    return fail(
        _("Called {called}: it returned {count} items; {parts}.").format(
            called=called, count=count(len(yours)), parts=_("; ").join(parts)
        ),
        " ".join(hints),
    )


@exercise.check(points=1, concept="parameters", needs=("trainable", "requires_grad"))
def trainable_parameters(s: Observations, r: Observations) -> Verdict:
    """trainable_parameters(model) returns exactly the parameters that require grad, in the model's order"""
    wanted = [name for name, flag in s["requires_grad"].items() if flag]
    return judge_trainable(TRAINABLE_CALLED, list(s["trainable"]), wanted, hidden=False)


@exercise.check(points=1, concept="evaluation", needs=("eval_modules",))
def training_mode(s: Observations, r: Observations) -> Verdict:
    """The model comes back in training mode (the model itself, block3 and fc at least)"""
    evaluating = [name or "model" for name in s["eval_modules"] if not name or in_part(name, TRAINED)]
    if not evaluating:
        return ok(_("build_classifier returns the model, block3 and the head in training mode, ready to fine-tune."))
    return fail(
        _("build_classifier returns {names} in eval mode.").format(names=listed(evaluating, 4, quote="`")),
        _(
            "Return the model in training mode (a new module is; train() switches it back): eval() is for "
            "evaluation, and it freezes nothing. Putting only the frozen blocks in eval mode is fine."
        ),
    )


@exercise.check(points=2, concept="checkpoints", needs=("hidden_state", "hidden_file"), hidden=True)
def hidden_checkpoint(s: Observations, r: Observations) -> Verdict:
    """build_classifier loads another checkpoint's weights, made from a hidden seed"""
    missing, different = backbone_differences(s["hidden_state"], r["hidden_state"])
    if not missing and not different:
        return ok(
            _("Called {called}: your backbone equals that checkpoint's, bit for bit.").format(called=HIDDEN_CALLED)
        )
    if s["hidden_file"] != r["hidden_file"]:
        return fail(
            _(
                "Called {called}: your build_classifier wrote over the checkpoint file it was given, so the weights "
                "it loaded are not the ones the file held."
            ).format(called=HIDDEN_CALLED),
            _(
                "Read the file at checkpoint_path as it is. make_pretrained_checkpoint stands in for a download made "
                "once, before build_classifier runs; build_classifier does not call it."
            ),
        )
    if "state" in s and backbone_matches(s["hidden_state"], r["state"]):
        return fail(
            _(
                "Called {called}: your backbone holds the public checkpoint's weights, those the seed of "
                "pretrained_state_dict() gives by default, not the weights of the file it was given."
            ).format(called=HIDDEN_CALLED),
            _("Load the file at checkpoint_path, whatever its name and contents."),
        )
    if "state" in s and backbone_matches(s["state"], r["state"]):
        return fail(
            _(
                "Called {called}: your backbone's tensors are not that checkpoint's, though they were the public one's."
            ).format(called=HIDDEN_CALLED)
        )
    return fail(
        _("Called {called}: your backbone's tensors are not that checkpoint's, as with the public one.").format(
            called=HIDDEN_CALLED
        )
    )


@exercise.check(
    points=1,
    concept="checkpoints",
    needs=("hidden_state", "hidden_head_loaded", *(f"hidden_logits{i}" for i in range(HIDDEN_INPUTS))),
    hidden=True,
)
def hidden_logits(s: Observations, r: Observations) -> Verdict:
    """With another checkpoint, the logits equal the reference's on other batch and image sizes"""
    if not s["hidden_head_loaded"]:
        return fail(_(NO_HEAD).format(called=HIDDEN_LOGITS_CALLED))
    for i in range(HIDDEN_INPUTS):
        key = f"hidden_logits{i}"
        yours, reference = s[key], r[key]
        if (
            isinstance(yours, torch.Tensor)
            and yours.dim() == 2
            and yours.shape[0] == reference.shape[0]
            and yours.shape[1] != reference.shape[1]
        ):
            return fail(
                _("Called {called}: your logits have {columns} columns; the reference's have 18.").format(
                    called=HIDDEN_LOGITS_CALLED, columns=yours.shape[1]
                )
            )
        diagnosis = diagnose_logits(s, r, "hidden_state")
        verdict = compare_values(HIDDEN_LOGITS_CALLED, yours, reference, diagnosis, hidden=True)
        if not verdict.passed:
            return verdict
    return ok(_("Called {called}: your logits match the reference's.").format(called=HIDDEN_LOGITS_CALLED))


@exercise.check(points=1, concept="parameters", needs=("trainable_hidden",), hidden=True)
def trainable_hidden(s: Observations, r: Observations) -> Verdict:
    """trainable_parameters(model) works for another model: a parameter of its own, nesting, a shared submodule"""
    return judge_trainable(HIDDEN_TRAINABLE_CALLED, list(s["trainable_hidden"]), list(r["trainable_hidden"]), True)


exercise.claims = (
    Claim("The given code below (do not change it)", ("logits_values", "hidden_logits")),
    Claim("``build_classifier(checkpoint_path) -> Backbone``", ("backbone_loaded",)),
    Claim("build a ``Backbone()`` and load the checkpoint's weights into it", ("backbone_loaded", "logits_values")),
    Claim("Every tensor counts, the BatchNorm running statistics (buffers) included.", ("backbone_loaded",)),
    Claim(
        "Load the file you are given, as it is: the grader also passes checkpoints made from other seeds",
        ("hidden_checkpoint", "hidden_logits"),
    ),
    Claim("replace the head: ``model.fc`` becomes a new ``nn.Linear``", ("head_replaced", "logits_shape")),
    Claim("Keep the name ``fc`` and return the ``Backbone`` itself", ("head_replaced", "backbone_loaded")),
    Claim("freeze ``stem``, ``block1`` and ``block2``", ("requires_grad_flags", "training_step")),
    Claim("``block3`` and the new ``fc`` stay trainable", ("requires_grad_flags", "training_step")),
    Claim("return the model in training mode, ready to fine-tune.", ("training_mode",)),
    Claim(
        "exactly those of ``model`` that require grad, each once, as a list (or any iterable), in the model's order",
        ("trainable_parameters", "trainable_hidden"),
    ),
    Claim("It works for any model", ("trainable_hidden",)),
    Claim("model(torch.zeros(4, 3, 32, 32)).shape torch.Size([4, 18])", ("logits_shape",)),
    Claim("[name for name, p in model.named_parameters() if p.requires_grad]", ("requires_grad_flags",)),
    Claim("torch.optim.SGD(trainable_parameters(model), lr=0.01", ("trainable_parameters", "training_step")),
    Claim(
        "The pretrained Backbone with an 18-way head; only block3 and fc trainable.",
        ("head_replaced", "requires_grad_flags"),
    ),
    Claim("The parameters of ``model`` that require grad, in the model's order.", ("trainable_parameters",)),
)
exercise.prose = (
    "Exercise 14 — transfer learning",
    "The capstone: the earlier exercises together",
    "The task is the course's mask-wearing classification",
    "Training a network from scratch on a few thousand photos works poorly",
    "``make_pretrained_checkpoint(path)`` writes its",
    "The file holds a dict::",
    '{"arch": "Backbone", "num_classes": 10',
    "Write two functions:",
    "What to watch for:",
    "``model.requires_grad = False`` freezes nothing",
    "Freeze parameters: ``p.requires_grad_(False)`` for each",
    "``model.eval()`` freezes nothing either",
    "The lecture suggests ``requires_grad=False`` for validation; that is the wrong tool too.",
    "Validate under ``model.eval()`` and ``torch.no_grad()``",
    "``load_state_dict(..., strict=False)`` does not make a mismatch go away",
    "Given the whole checkpoint dict instead of its",
    "The order matters: a layer created after you freeze is trainable",
    "Optional: a frozen block still updates its BatchNorm running statistics",
    "Calling ``.eval()`` on the frozen blocks keeps them fixed",
    "A correction to the lecture's slides",
    "A layer's ``in_channels`` must match the input's channels",
    "A small CNN for (N, 3, H, W) colour images",
    'The backbone\'s "pretrained" weights, made from ``seed``',
    "Write the pretrained backbone's checkpoint to ``path``",
)
