"""ex12 — load a pretrained backbone into a model with a different head: filter a state_dict by
key and by shape, load what fits, leave the rest at its initial values."""

from __future__ import annotations

from collections import OrderedDict

import torch
from torch import nn

from graders.checks import describe, identical, is_mapping, is_tensor, listed, shape_text
from graders.probe import Probe, named_tensors
from graders.spec import Exercise, Hint, Observations, Verdict, fail, ok

exercise = Exercise(
    id="ex12_partial_load",
    title="Loading a pretrained backbone into a model with a new head",
    hints=(
        Hint(
            "Take `own = model.state_dict()` (it has the buffers too, unlike named_parameters()) and keep "
            "`key, tensor` from the checkpoint only if `key in own and own[key].shape == tensor.shape`.",
            checks=("filtered",),
        ),
        Hint(
            "In load_pretrained, load the filtered dict with `model.load_state_dict(filtered, strict=False)`: "
            "the new head's keys are missing from it on purpose. Then return `sorted(filtered)`.",
            checks=("backbone_loaded", "head_kept", "returns_loaded_keys"),
        ),
    ),
    error_hints={
        "size mismatch": "A tensor of the checkpoint has the same key as one of the model's but another shape "
        "(a head for another number of classes, say). load_state_dict raises on it even with strict=False: keep "
        "a tensor only if its key is in model.state_dict() and its shape is the same.",
        "Missing key(s) in state_dict": "After filtering, the new head's keys are missing from the dict on "
        "purpose: load it with `model.load_state_dict(filtered, strict=False)`.",
    },
)

FILTER = "compatible_tensors(model, checkpoint)"
LOAD = "load_pretrained(model, checkpoint)"
SETUP = (
    "a checkpoint of a pretrained model (backbone, a 10-class head and an auxiliary classifier `aux`) and a "
    "model with the same backbone and an 18-class head"
)
BUFFERS = ("running_mean", "running_var", "num_batches_tracked")


class Net(nn.Module):
    """A small image classifier: a conv/batch-norm backbone and a linear head, names configurable."""

    def __init__(
        self,
        classes: int,
        width: int = 8,
        features: int = 16,
        backbone: str = "backbone",
        head: str = "head",
        aux: int = 0,
        neck: bool = False,
    ):
        super().__init__()
        layers = nn.Sequential(
            nn.Conv2d(3, width, 3),
            nn.BatchNorm2d(width),
            nn.ReLU(),
            nn.Conv2d(width, features, 3),
            nn.BatchNorm2d(features),
            nn.ReLU(),
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(),
        )
        self.add_module(backbone, layers)
        if neck:
            self.neck = nn.Linear(features, features)
        self.add_module(head, nn.Linear(features, classes))
        if aux:
            self.aux = nn.Linear(features, aux)


def make_checkpoint(p: Probe, source: nn.Module, name: str, secret: bool = False) -> OrderedDict[str, torch.Tensor]:
    """A pretrained model's state_dict: every tensor named and seeded, integers set to 7."""
    checkpoint = OrderedDict()
    for key, tensor in source.state_dict().items():
        if tensor.is_floating_point():
            checkpoint[key] = p.randn(f"{name}/{key}", *tensor.shape, secret=secret)
        else:
            checkpoint[key] = torch.full_like(tensor, 7)
    return checkpoint


@exercise.probe
def probe(p: Probe) -> None:
    compatible = p.require("compatible_tensors")
    load = p.require("load_pretrained")

    checkpoint = make_checkpoint(p, Net(classes=10, aux=4), "pretrained")
    p.record("checkpoint", checkpoint)
    model = Net(classes=18)
    p.fill_parameters(model, "initial")
    p.record("initial", named_tensors(model, "state_dict"))

    with p.section():
        p.observe("filtered", FILTER, compatible, model, checkpoint)

    model = Net(classes=18)
    p.fill_parameters(model, "initial")
    with p.section():
        returned = p.call("loaded", LOAD, load, model, checkpoint)
        p.record("returned", returned)
        p.observe("loaded", "reading the model's state_dict after loading", named_tensors, model, "state_dict")

    if p.hidden:
        width, features, classes = (
            p.randint(f"hidden/{name}", low, high, secret=True)
            for name, low, high in (("width", 2, 6), ("features", 3, 9), ("classes", 2, 6))
        )
        more = p.randint("hidden/more", 1, 5, secret=True)
        names = {"width": width, "features": features, "backbone": "features", "head": "fc"}
        checkpoint = make_checkpoint(p, Net(classes=classes, **names), "hidden", secret=True)
        model = Net(classes=classes + more, neck=True, **names)
        p.fill_parameters(model, "hidden-initial", secret=True)
        with p.section():
            p.call("loaded_hidden", f"{LOAD} on another model", load, model, checkpoint)
            p.observe(
                "loaded_hidden", "reading the model's state_dict after loading", named_tensors, model, "state_dict"
            )


# -- judging ---------------------------------------------------------------------------------


def is_buffer(key: str) -> bool:
    return key.rsplit(".", 1)[-1] in BUFFERS


BUFFER_HINT = (
    "Buffers such as batch norm's running_mean and running_var are in model.state_dict() but not in "
    "named_parameters(): filter against model.state_dict(), so that the pretrained statistics load too."
)


@exercise.check(points=3, concept="checkpoints", needs=("filtered", "checkpoint", "initial"))
def filtered(s: Observations, r: Observations) -> Verdict:
    """compatible_tensors keeps the backbone's 14 tensors and drops the head and aux"""
    called = f"{FILTER} with {SETUP}"
    yours, reference = s["filtered"], r["filtered"]
    checkpoint, model = r["checkpoint"], r["initial"]
    if not is_mapping(yours):
        return fail(f"Called {called}: yours returned {describe(yours)}; the reference returns a dict.")
    extra = [key for key in yours if key not in reference]
    missing = [key for key in reference if key not in yours]
    if extra or missing:
        parts = []
        if extra:
            parts.append(f"your dict has {listed(extra, quote='')}, which the reference's does not")
        if missing:
            parts.append(f"it lacks {listed(missing, quote='')}, which the reference's has")
        hints = []
        mismatched = [key for key in extra if key in model and key in checkpoint]
        if mismatched:
            key = mismatched[0]
            hints.append(
                f"{key} is in both dicts, but the checkpoint's has shape {shape_text(checkpoint[key].shape)} and "
                f"the model's {shape_text(model[key].shape)}: filtering by key only is not enough, compare the "
                "shapes too (load_state_dict raises 'size mismatch' on such a tensor, even with strict=False)."
            )
        unknown = [key for key in extra if key not in model]
        if unknown:
            hints.append(f"The model has no {unknown[0]}: keep only keys that are in model.state_dict().")
        if any(is_buffer(key) for key in missing):
            hints.append(BUFFER_HINT)
        elif missing:
            hints.append("Keep every tensor whose key is in model.state_dict() with the same shape.")
        return fail(f"Called {called}: " + "; ".join(parts) + ".", " ".join(hints) or None)
    changed = [key for key, tensor in reference.items() if not identical(yours[key], tensor)]
    if changed:
        return fail(
            f"Called {called}: your keys are right, but the tensors under {listed(changed, quote='')} are not the "
            "checkpoint's.",
            "Keep the checkpoint's tensors as they are: the filter only chooses which ones to keep.",
        )
    return ok(f"Called {called}: your dict has the reference's {len(reference)} tensors, the checkpoint's values.")


@exercise.check(points=3, concept="checkpoints", needs=("loaded", "filtered", "checkpoint", "initial"))
def backbone_loaded(s: Observations, r: Observations) -> Verdict:
    """load_pretrained loads every backbone tensor, buffers included, bit for bit"""
    called = f"{LOAD} with {SETUP}"
    yours, checkpoint = s["loaded"], r["checkpoint"]
    keys = list(r["filtered"])
    loaded = [key for key in keys if identical(yours.get(key), checkpoint[key])]
    if len(loaded) == len(keys):
        return ok(f"Called {called}: all {len(keys)} backbone tensors are the checkpoint's, bit for bit.")
    rest = [key for key in keys if key not in loaded]
    left = [key for key in rest if identical(yours.get(key), r["initial"][key])]
    still = f" Still at their initial values: {listed(left, quote='')}." if left else ""
    if any(is_buffer(key) for key in left):
        hint = BUFFER_HINT
    elif left:
        hint = "Load every tensor whose key and shape match the model's."
    else:
        hint = "Load the checkpoint's tensors as they are, without changing their values or dtypes."
    return fail(
        f"Called {called}, then compared the model's backbone tensors with the checkpoint's: {len(loaded)} of "
        f"{len(keys)} loaded; the reference loads {len(keys)} of {len(keys)}.{still}",
        hint,
    )


@exercise.check(points=2, concept="checkpoints", needs=("loaded", "filtered", "initial"))
def head_kept(s: Observations, r: Observations) -> Verdict:
    """load_pretrained leaves the new 18-class head at its initial values and shapes"""
    called = f"{LOAD} with {SETUP}"
    yours, initial = s["loaded"], r["initial"]
    for key in (key for key in initial if key not in r["filtered"]):
        tensor = yours.get(key)
        if not is_tensor(tensor):
            return fail(f"Called {called}: afterwards your model has no {key}.")
        if tensor.shape != initial[key].shape:
            return fail(
                f"Called {called}: afterwards your model's {key} has shape {shape_text(tensor.shape)}; it must keep "
                f"its shape {shape_text(initial[key].shape)}.",
                "The checkpoint's tensor of another shape was copied in anyway (with `param.data = tensor`, "
                "say): your 18-class head is now the pretrained 10-class one. Skip tensors whose shape differs "
                "from the model's.",
            )
        if not identical(tensor, initial[key]):
            return fail(
                f"Called {called}: afterwards your model's {key} is no longer at its initial values, though the "
                "checkpoint has no tensor of its shape for it.",
                "Change only the tensors you load from the checkpoint.",
            )
    return ok(f"Called {called}: the new head kept its shapes and initial values.")


@exercise.check(points=2, concept="checkpoints", needs=("loaded", "returned"))
def returns_loaded_keys(s: Observations, r: Observations) -> Verdict:
    """load_pretrained returns the list of keys it loaded"""
    called = f"{LOAD} with {SETUP}"
    yours, reference = s["returned"], r["returned"]
    if not isinstance(yours, list | tuple):
        hint = "End load_pretrained with `return sorted(filtered)`." if yours is None else None
        return fail(
            f"Called {called}: yours returned {describe(yours)}; the reference returns a list of the "
            f"{len(reference)} keys it loaded.",
            hint,
        )
    your_keys = [key if isinstance(key, str) else describe(key) for key in yours]
    extra = sorted(set(your_keys) - set(reference))
    missing = sorted(set(reference) - set(your_keys))
    if extra or missing:
        parts = [f"has {listed(extra, quote='')}, which the reference's does not"] if extra else []
        parts += [f"lacks {listed(missing, quote='')}, which the reference's has"] if missing else []
        return fail(
            f"Called {called}: the list you returned " + " and ".join(parts) + ".",
            "Return the keys of the tensors you actually loaded: the filtered dict's keys.",
        )
    if len(your_keys) != len(reference):
        return fail(f"Called {called}: the list you returned repeats some keys.")
    return ok(f"Called {called}: you returned the {len(reference)} keys that were loaded.")


@exercise.check(points=3, concept="checkpoints", needs=("loaded_hidden",), hidden=True)
def loaded_hidden(s: Observations, r: Observations) -> Verdict:
    """load_pretrained is right on another model with other names and sizes"""
    yours, reference = s["loaded_hidden"], r["loaded_hidden"]
    wrong = [key for key, tensor in reference.items() if not identical(yours.get(key), tensor)]
    if not wrong:
        return ok(f"Called {LOAD} on another model: every tensor is as the reference leaves it.")
    reshaped = any(is_tensor(yours.get(key)) and yours[key].shape != reference[key].shape for key in wrong)
    hint = (
        "Some tensor of your model changed its shape: a checkpoint tensor of another shape was copied in anyway. "
        "Skip tensors whose shape differs from the model's."
        if reshaped
        else "Decide tensor by tensor from the key and the shape alone, buffers included: do not single out "
        "layers by name (like 'head' or 'backbone'), which change from model to model."
    )
    return fail(
        f"Called {LOAD} on another model with other layer names and sizes: afterwards, some of its tensors "
        "differ from the reference's.",
        hint,
    )
