"""ex14 — the capstone: an 18-class classifier from a pretrained backbone (load, replace the head,
freeze all but the last block).

The probe writes the "pretrained" checkpoint itself, with its own copy of the given code (below),
into the worker's private directory, and hands its path to the student's ``build_classifier``.
The parent compares the model's tensors, flags and outputs with the reference's.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from graders.checks import compare_fields, compare_shapes, compare_values, count, identical, listed
from graders.probe import Probe, describe_module, named_tensors, type_name
from graders.spec import Exercise, Hint, Observations, Verdict, fail, ok

exercise = Exercise(
    id="ex14_transfer_learning",
    preload=("torch._dynamo",),  # the probe trains with torch.optim
    title="Transfer learning: an 18-class mask classifier from a pretrained backbone",
    hints=(
        Hint(
            "Load first, then change the model: `checkpoint = torch.load(checkpoint_path, weights_only=True)`, "
            "`model = Backbone()`, `model.load_state_dict(checkpoint['state_dict'])` (strict, as by default: "
            "an error here is information, not an obstacle). Then replace the head: "
            "`model.fc = nn.Linear(model.fc.in_features, NUM_CLASSES)`.",
            checks=("backbone_loaded", "head_replaced", "logits_shape", "logits_values"),
        ),
        Hint(
            "Freeze with the parameters' flags: `for p in model.parameters(): p.requires_grad_(False)`, then "
            "unfreeze `model.block3` the same way. A head created after the freeze is trainable by itself. "
            "`model.requires_grad = False` and `model.eval()` freeze nothing.",
            checks=("requires_grad_flags", "training_step", "training_mode"),
        ),
        Hint(
            "trainable_parameters is one line: `[p for p in model.parameters() if p.requires_grad]`.",
            checks=("trainable_parameters",),
        ),
    ),
    error_hints={
        'Unexpected key(s) in state_dict: "arch"': "You passed the whole checkpoint to load_state_dict. The "
        "file holds a dict; the backbone's weights are its 'state_dict' entry: "
        "`model.load_state_dict(checkpoint['state_dict'])`.",
        "has no attribute 'fc'": "The head must stay the Backbone's `fc` attribute: return the Backbone "
        "itself, with `model.fc = nn.Linear(model.fc.in_features, NUM_CLASSES)`.",
        "size mismatch for fc.": "The checkpoint's head has 10 outputs. Load it into a `Backbone()` as it was "
        "saved, then replace `model.fc` with the 18-way head (or leave the fc.* keys out of what you load).",
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
STEP_CALLED = (
    f"one SGD step (lr {LEARNING_RATE}) over model.parameters() on a batch of {STEP_IMAGES[0]} images, "
    "with a cross-entropy loss"
)


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


def build(p: Probe, key: str, build_classifier: Callable[..., Any], path: str, called: str, fatal: bool) -> Any:
    model = p.call(key, called, build_classifier, path, fatal=fatal)
    if not isinstance(model, nn.Module):
        p.fail(key, "NotAModule", f"your {called} returned a {type_name(model)}, not an nn.Module", called, fatal)
    return model


def sgd_step(model: nn.Module, images: torch.Tensor, labels: torch.Tensor) -> None:
    """One step of ``torch.optim.SGD(model.parameters(), lr)`` on the cross-entropy loss: a
    parameter that gets no gradient (a frozen one) is left alone."""
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
    optimizer.zero_grad()
    logits = model(images)
    # The labels are 18-way; a model with another number of outputs still gets a step.
    F.cross_entropy(logits, labels % logits.shape[-1]).backward()
    optimizer.step()


@exercise.probe
def probe(p: Probe) -> None:
    build_classifier = p.require("build_classifier")
    list_trainable = p.require("trainable_parameters")
    path = os.path.join(os.getcwd(), CHECKPOINT)
    make_pretrained_checkpoint(path, PRETRAINED_SEED)

    model = build(p, "model", build_classifier, path, CALLED, fatal=True)
    p.record("model", type_name(model))
    p.observe("state", "model.state_dict()", named_tensors, model, "state_dict")
    p.observe("fc", "model.fc", lambda: describe_module(getattr(model, "fc", None)))
    p.observe(
        "requires_grad",
        "reading each parameter's requires_grad",
        lambda: {name: bool(parameter.requires_grad) for name, parameter in model.named_parameters()},
    )
    p.observe("training", "reading each module's mode", lambda: {n: bool(m.training) for n, m in model.named_modules()})
    p.observe(
        "requires_grad_attributes",
        "looking for requires_grad attributes",
        lambda: [name or "model" for name, module in model.named_modules() if "requires_grad" in vars(module)],
    )

    with p.section():
        returned = p.call("trainable", "trainable_parameters(model)", list_trainable, model)
        items = p.call("trainable", "list(trainable_parameters(model))", list, returned)
        names = p.call("trainable", "model.named_parameters()", lambda: {id(q): n for n, q in model.named_parameters()})
        p.record("trainable", [names.get(id(item), f"<{type_name(item)}>") for item in items])

    with p.section():
        head = p.call("logits", "model.fc", lambda: model.fc)
        p.call("logits", "loading the reference's head weights into model.fc", p.fill_parameters, head, "head")
        p.call("logits", "model.eval()", model.eval)
        with torch.no_grad():
            p.observe("logits", "model(x)", model, p.randn("x", *IMAGES))

    with p.section():
        p.observe("before_step", "reading the parameters", named_tensors, model)
        p.call("after_step", "model.train()", model.train)
        can_train = p.observe(
            "step_ran", "reading requires_grad", lambda: any(q.requires_grad for q in model.parameters())
        )
        if can_train:  # with nothing trainable, loss.backward() would fail: nothing changes
            images = p.randn("step/images", *STEP_IMAGES)
            labels = p.labels("labels", 18, STEP_IMAGES[0])
            p.call("after_step", STEP_CALLED, sgd_step, model, images, labels)
        p.observe("after_step", "reading the parameters after the step", named_tensors, model)

    if p.hidden:
        hidden_path = os.path.join(os.getcwd(), HIDDEN_CHECKPOINT)
        make_pretrained_checkpoint(hidden_path, p.randint("hidden/seed", 1, 2**31 - 1, secret=True))
        with p.section():
            hidden = build(p, "hidden_state", build_classifier, hidden_path, "build_classifier(another path)", False)
            p.observe("hidden_state", "model.state_dict()", named_tensors, hidden, "state_dict")
            head = p.call("hidden_logits0", "model.fc", lambda: hidden.fc)
            p.call("hidden_logits0", "loading hidden head weights", p.fill_parameters, head, "hidden-head", True)
            p.call("hidden_logits0", "model.eval()", hidden.eval)
            for i in range(HIDDEN_INPUTS):
                batch = p.randint(f"hidden{i}/batch", 1, 9, secret=True)
                side = p.randint(f"hidden{i}/side", 16, 48, secret=True)
                with torch.no_grad():
                    x = p.randn(f"hidden{i}/x", batch, 3, side, side, secret=True)
                    p.observe(f"hidden_logits{i}", "model(x) on a hidden input", hidden, x)


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


def judge_backbone(yours: Mapping[str, Any], reference: Mapping[str, Any], called: str) -> Verdict:
    missing, different = backbone_differences(yours, reference)
    total = sum(not is_head(name) for name in reference)
    if missing:
        theirs = [name for name in yours if not is_head(name)]
        example = f" (it has, for example, {listed(theirs, 2, quote='`')})" if theirs else ""
        return fail(
            f"Called {called}: your model's state_dict has no {listed(missing, 4, quote='`')}{example}.",
            "Return the Backbone itself, with its given attribute names (stem, block1, block2, block3, fc), "
            "not a new model or a wrapper around it: the checkpoint's keys must stay the model's keys.",
        )
    if not different:
        return ok(
            f"Called {called}: all {count(total)} backbone tensors (parameters and BatchNorm buffers) equal the "
            "checkpoint's, bit for bit."
        )
    if len(different) == total:
        return fail(
            f"Called {called}: none of your model's {count(total)} backbone tensors equals the checkpoint's: "
            "the weights were never loaded, so your backbone is randomly initialised.",
            "Load them with `model.load_state_dict(checkpoint['state_dict'])`, strict as by default. "
            "`strict=False` would hide exactly this: it skips every key that does not match (given the whole "
            "checkpoint dict, all of them) and only lists them in its return value.",
        )
    if all(name.endswith(BUFFER_SUFFIXES) for name in different):
        return fail(
            f"Called {called}: your parameters equal the checkpoint's, but {listed(different, 4, quote='`')} do not.",
            "Those are BatchNorm buffers (running statistics), part of the state_dict but not of parameters(): "
            "copying named_parameters() misses them. `model.load_state_dict(...)` loads both.",
        )
    return fail(
        f"Called {called}: {count(len(different))} of {count(total)} backbone tensors differ from the "
        f"checkpoint's: {listed(different, 4, quote='`')}.",
        "Load the checkpoint's 'state_dict' with load_state_dict and do not change the backbone's tensors after.",
    )


@exercise.check(points=2, concept="autograd", needs=("state",))
def backbone_loaded(s: Observations, r: Observations) -> Verdict:
    """The backbone's parameters and buffers equal the checkpoint's, bit for bit"""
    return judge_backbone(s["state"], r["state"], CALLED)


@exercise.check(points=1, concept="autograd", needs=("fc",))
def head_replaced(s: Observations, r: Observations) -> Verdict:
    """model.fc is a new Linear(64, 18)"""
    yours = s["fc"]
    if yours is not None and yours.get("type") == "Linear" and yours.get("out_features") == 10:
        return fail(
            "Your model.fc still has 10 outputs: it is the pretrained head, not replaced.",
            "Replace it after loading: `model.fc = nn.Linear(model.fc.in_features, NUM_CLASSES)`.",
        )
    return compare_fields(
        "model.fc",
        yours,
        r["fc"],
        {"in_features": "{value} input features", "out_features": "{value} outputs", "bias": "bias={value}"},
        missing_hint="Keep the head's name: `model.fc = nn.Linear(model.fc.in_features, NUM_CLASSES)`.",
    )


def flag_problems(s: Observations, r: Observations) -> Verdict | None:
    """Why the student's requires_grad flags differ from the reference's, or None when they agree."""
    yours, reference = s["requires_grad"], r["requires_grad"]
    missing = [name for name in reference if name not in yours]
    if missing:
        return fail(
            f"Your model has no parameter {listed(missing, 4, quote='`')}.",
            "Keep the given Backbone's names and replace only `model.fc`.",
        )
    if yours == reference:
        return None
    frozen = [name for name, flag in reference.items() if not flag]
    if all(yours.values()):
        attributes = s.get("requires_grad_attributes") or []
        evaluated = [name for name in ("stem", "block1", "block2") if s.get("training", {}).get(name) is False]
        if attributes:
            why = (
                f"You set a plain attribute `requires_grad` on {listed(attributes, 4, quote='`')}: "
                "`module.requires_grad = False` creates an attribute and freezes nothing. Use the method "
                "`module.requires_grad_(False)` (with the underscore) or set `p.requires_grad = False` on each "
                "parameter."
            )
        elif evaluated:
            why = (
                "model.eval() does not freeze: it changes how BatchNorm and Dropout behave, and gradients still "
                "flow. Set `p.requires_grad_(False)` on the frozen blocks' parameters."
            )
        else:
            why = "Set `p.requires_grad_(False)` on every parameter of stem, block1 and block2."
        return fail(
            f"Every one of your model's {count(len(yours))} parameters requires grad: nothing is frozen "
            f"(the reference freezes {count(len(frozen))}: stem, block1 and block2).",
            why,
        )
    if not any(yours.values()):
        return fail(
            "None of your model's parameters requires grad: everything is frozen, block3 and the new head "
            "included, so training cannot change anything.",
            "Freeze before you replace the head (a new layer's parameters require grad), and unfreeze block3 "
            "with `model.block3.requires_grad_(True)`.",
        )
    should_train = [name for name, flag in reference.items() if flag and not yours[name]]
    should_freeze = [name for name, flag in reference.items() if not flag and yours[name]]
    parts = []
    if should_train:
        parts.append(f"{listed(should_train, 4, quote='`')} do not require grad, but should")
    if should_freeze:
        parts.append(f"{listed(should_freeze, 4, quote='`')} require grad, but should be frozen")
    if any(name.startswith("block3.") for name in should_train):
        hint = "block3 is the last block: it stays trainable, with the head. Freeze only stem, block1 and block2."
    elif any(is_head(name) for name in should_train):
        hint = "The new head must be trainable: replace fc after freezing, or unfreeze it."
    else:
        hint = "Freeze every parameter of stem, block1 and block2, and only those."
    return fail("In your model, " + "; ".join(parts) + ".", hint)


@exercise.check(points=2, concept="autograd", needs=("requires_grad",))
def requires_grad_flags(s: Observations, r: Observations) -> Verdict:
    """stem, block1 and block2 are frozen; block3 and fc require grad"""
    problem = flag_problems(s, r)
    if problem:
        return problem
    trainable = [name for name, flag in r["requires_grad"].items() if flag]
    return ok(f"Exactly the right parameters require grad: {listed(trainable, 5, quote='`')}.")


@exercise.check(points=1, concept="autograd", needs=("logits",))
def logits_shape(s: Observations, r: Observations) -> Verdict:
    """model(x) gives logits of shape (4, 18) for x of shape (4, 3, 32, 32)"""
    return compare_shapes(
        f"model(x) with x of shape {IMAGES}",
        s["logits"],
        r["logits"],
        hint="One logit per class: the head needs NUM_CLASSES (18) outputs.",
    )


def diagnose_logits(s: Observations, r: Observations, state: str) -> Callable[[torch.Tensor, torch.Tensor], str]:
    def diagnosis(yours: torch.Tensor, reference: torch.Tensor) -> str:
        if state in s and not backbone_matches(s[state], r[state]):
            return "Your backbone's weights are not the checkpoint's (see the check on loading the backbone)."
        return "Your backbone and head agree with the reference's: did you change the given Backbone's forward?"

    return diagnosis


@exercise.check(points=2, concept="autograd", needs=("logits",))
def logits_values(s: Observations, r: Observations) -> Verdict:
    """With the reference's head weights, model(x) in eval mode equals the reference's logits"""
    return compare_values(
        "model(x) in eval mode, with the reference's head weights loaded into your model.fc",
        s["logits"],
        r["logits"],
        diagnose_logits(s, r, "state"),
    )


@exercise.check(points=2, concept="autograd", needs=("before_step", "after_step", "step_ran"))
def training_step(s: Observations, r: Observations) -> Verdict:
    """A training step changes block3 and fc and leaves every frozen parameter unchanged, bit for bit"""
    before, after, reference = s["before_step"], s["after_step"], r["requires_grad"]
    missing = [name for name in reference if name not in before or name not in after]
    if missing:
        return fail(
            f"Called {STEP_CALLED}: your model has no parameter {listed(missing, 4, quote='`')}.",
            "Keep the given Backbone's names and replace only `model.fc`.",
        )
    changed = {name: not identical(after[name], before[name]) for name in reference}
    moved = [name for name, flag in reference.items() if not flag and changed[name]]
    stuck = [name for name, flag in reference.items() if flag and not changed[name]]
    if not moved and not stuck:
        return ok(f"Called {STEP_CALLED}: the frozen parameters stayed the same, bit for bit; block3 and fc changed.")
    parts = []
    if moved:
        parts.append(f"frozen parameters changed: {listed(moved, 4, quote='`')}")
    if stuck:
        parts.append(f"parameters that should train did not change: {listed(stuck, 4, quote='`')}")
    if not s["step_ran"]:
        hint = "No parameter of your model requires grad, so there is nothing to train."
    elif moved:
        hint = (
            "The optimizer updates every parameter that gets a gradient; a parameter gets none only if its "
            "requires_grad is False. See the check on requires_grad."
        )
    else:
        hint = "Parameters with requires_grad False get no gradient and never change: see the check on requires_grad."
    return fail(f"Called {STEP_CALLED}: " + "; ".join(parts) + ".", hint)


@exercise.check(points=1, concept="autograd", needs=("trainable", "requires_grad"))
def trainable_parameters(s: Observations, r: Observations) -> Verdict:
    """trainable_parameters(model) returns exactly the parameters that require grad"""
    yours = list(s["trainable"])
    wanted = [name for name, flag in s["requires_grad"].items() if flag]
    called = "trainable_parameters(model)"
    if sorted(yours) == sorted(wanted):
        return ok(f"Called {called}: it returned exactly the {count(len(wanted))} parameters that require grad.")
    others = [item for item in yours if item.startswith("<")]
    if others:
        return fail(
            f"Called {called}: it returned {listed(sorted(set(others)), 2, quote='`')} items, not the model's "
            "parameters.",
            "Return the parameter tensors themselves, as `model.parameters()` yields them.",
        )
    extra = [name for name in yours if name not in wanted]
    absent = [name for name in wanted if name not in yours]
    duplicated = sorted({name for name in yours if yours.count(name) > 1})
    parts = []
    if extra:
        parts.append(f"{listed(extra, 4, quote='`')}, which do not require grad")
    if absent:
        parts.append(f"not {listed(absent, 4, quote='`')}, which do")
    if duplicated:
        parts.append(f"{listed(duplicated, 4, quote='`')} more than once")
    return fail(
        f"Called {called}: it returned {count(len(yours))} parameters, including " + "; and ".join(parts) + ".",
        "Keep only the parameters with `p.requires_grad` True: `[p for p in model.parameters() if p.requires_grad]`.",
    )


@exercise.check(points=1, concept="autograd", needs=("training",))
def training_mode(s: Observations, r: Observations) -> Verdict:
    """The model comes back in training mode (block3 and fc at least)"""
    modes = s["training"]
    evaluating = [name for name in r["training"] if in_part(name, TRAINED) and modes.get(name) is False]
    if not evaluating:
        return ok("build_classifier returns block3 and the head in training mode, ready to fine-tune.")
    return fail(
        f"build_classifier returns {listed(evaluating, 4, quote='`')} in eval mode.",
        "Return the model in training mode (`model.train()`, or simply never call eval()): eval() is for "
        "evaluation, and it freezes nothing. Putting only the frozen blocks in eval() is fine.",
    )


@exercise.check(points=2, concept="autograd", needs=("hidden_state",), hidden=True)
def hidden_checkpoint(s: Observations, r: Observations) -> Verdict:
    """build_classifier loads another checkpoint's weights, made from a hidden seed"""
    called = "build_classifier(path) with another checkpoint"
    missing, different = backbone_differences(s["hidden_state"], r["hidden_state"])
    if not missing and not different:
        return ok(f"Called {called}: your backbone equals that checkpoint's, bit for bit.")
    if "state" in s and backbone_matches(s["state"], r["state"]):
        return fail(
            f"Called {called}: your backbone matches the public checkpoint but not this one.",
            "Load the file at `checkpoint_path`, whatever its name and contents; do not rebuild the weights "
            "with pretrained_state_dict() or read a fixed file name.",
        )
    return fail(
        f"Called {called}: your backbone's tensors are not that checkpoint's.",
        "See the public check on loading the backbone.",
    )


@exercise.check(
    points=1,
    concept="autograd",
    needs=("hidden_state", *(f"hidden_logits{i}" for i in range(HIDDEN_INPUTS))),
    hidden=True,
)
def hidden_logits(s: Observations, r: Observations) -> Verdict:
    """With another checkpoint, the logits equal the reference's on other batch and image sizes"""
    called = "model(x) with another checkpoint, on hidden inputs of other batch and image sizes"
    for i in range(HIDDEN_INPUTS):
        key = f"hidden_logits{i}"
        yours, reference = s[key], r[key]
        if (
            isinstance(yours, torch.Tensor)
            and yours.dim() == 2
            and yours.shape[0] == reference.shape[0]
            and yours.shape[1] != reference.shape[1]
        ):
            return fail(f"Called {called}: your logits have {yours.shape[1]} columns; the reference's have 18.")
        verdict = compare_values(called, yours, reference, diagnose_logits(s, r, "hidden_state"), hidden=True)
        if not verdict.passed:
            return verdict
    return ok(f"Called {called}: your logits match the reference's.")
