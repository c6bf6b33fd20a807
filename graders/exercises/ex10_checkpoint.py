"""ex10 — save and load model and optimizer state; training resumes bit for bit."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from graders.checks import describe, identical, listed
from graders.probe import Probe, mlp, named_tensors, type_name
from graders.spec import Exercise, Hint, Observations, Verdict, fail, ok

exercise = Exercise(
    id="ex10_checkpoint",
    preload=("torch._dynamo",),  # the probe trains with torch.optim
    title="Checkpoints: save training, and resume it exactly",
    hints=(
        Hint(
            "Save plain data, not objects: `torch.save({'model': model.state_dict(), 'optimizer': "
            "optimizer.state_dict(), 'step': step}, path)`. A pickled model or optimizer object cannot be read "
            "with `torch.load(path, weights_only=True)`.",
            checks=("loads_safely", "file_layout"),
        ),
        Hint(
            "In load_checkpoint, read with `checkpoint = torch.load(path, weights_only=True)`, then "
            "`model.load_state_dict(checkpoint['model'])` and return `checkpoint['step']`.",
            checks=("model_restored", "step_restored"),
        ),
        Hint(
            "Resuming exactly needs the optimizer's state as well (Adam's running averages, SGD's momentum): "
            "`optimizer.load_state_dict(checkpoint['optimizer'])` on the optimizer you are given.",
            checks=("optimizer_restored", "resumes_identically"),
        ),
    ),
    error_hints={
        "Missing key(s) in state_dict": (
            "model.load_state_dict wants the model's own state_dict, not the whole checkpoint: "
            "`model.load_state_dict(checkpoint['model'])`."
        ),
        "Weights only load failed": (
            "The file holds pickled objects, which torch.load(weights_only=True) refuses: save "
            "`model.state_dict()` and `optimizer.state_dict()`, not the model and optimizer themselves."
        ),
        "object has no attribute 'state_dict'": (
            "checkpoint['model'] is already a state_dict (a dict of tensors), not a model: pass it straight to "
            "`model.load_state_dict(checkpoint['model'])`."
        ),
        "No such file or directory": "Save to, and load from, exactly the path you are given.",
    },
)


PATH = "checkpoint.pt"  # where save_checkpoint writes for the checks on the file
GIVEN_PATH = "given.pt"  # a checkpoint the grader writes, for the checks on load_checkpoint alone
RESUME_PATH = "resume.pt"  # save and load together
PUBLIC_SIZES = (5, 8, 3)
BATCH = 6
BEFORE, AFTER = 3, 3  # training steps before the checkpoint, and after resuming
ADAM_LR = 0.01
KEYS = ["model", "optimizer", "step"]


def train(model: nn.Module, optimizer: torch.optim.Optimizer, batches: list) -> None:
    for x, y in batches:
        optimizer.zero_grad()
        F.cross_entropy(model(x), y).backward()
        optimizer.step()


def read_checkpoint(path: str) -> dict[str, Any]:
    """What `torch.load(path, weights_only=True)` makes of the student's file, as plain data."""
    try:
        content = torch.load(path, weights_only=True, map_location="cpu")
    except Exception as error:
        text = str(error)
        unsupported = re.search(r"Unsupported global: GLOBAL ([\w.]+)", text)
        return {
            "loaded": False,
            "error": type(error).__name__,
            "global": unsupported.group(1) if unsupported else None,
            "missing": isinstance(error, FileNotFoundError),
        }
    summary: dict[str, Any] = {"loaded": True, "type": type_name(content)}
    if isinstance(content, Mapping):
        summary["keys"] = [str(key) for key in content]
        for key in ("model", "optimizer"):
            entry = content.get(key)
            summary[f"{key}_keys"] = [str(k) for k in entry] if isinstance(entry, Mapping) else type_name(entry)
        summary["step"] = content.get("step")
    return summary


def optimizer_state(optimizer: torch.optim.Optimizer) -> dict[str, Any]:
    """The optimizer's state_dict as plain data: per-parameter state by index, and its settings."""
    state = optimizer.state_dict()
    return {
        "state": {str(index): dict(values) for index, values in state["state"].items()},
        "param_groups": [dict(group) for group in state["param_groups"]],
    }


def adam(model: nn.Module) -> torch.optim.Optimizer:
    return torch.optim.Adam(model.parameters(), lr=ADAM_LR)


def trained(p: Probe, batches: list) -> tuple[nn.Module, torch.optim.Optimizer]:
    """The public model and its Adam optimizer after the steps before the checkpoint."""
    model = mlp(PUBLIC_SIZES)
    p.fill_parameters(model)
    optimizer = adam(model)
    train(model, optimizer, batches[:BEFORE])
    return model, optimizer


def fresh(p: Probe) -> tuple[nn.Module, torch.optim.Optimizer]:
    model = mlp(PUBLIC_SIZES)
    p.fill_parameters(model, "fresh-weights")
    return model, adam(model)


@exercise.probe
def probe(p: Probe) -> None:
    save_checkpoint = p.require("save_checkpoint")
    load_checkpoint = p.require("load_checkpoint")
    batches = p.batches("train", BEFORE + AFTER, BATCH, PUBLIC_SIZES[0], PUBLIC_SIZES[-1])

    # Training that never stops: what resuming must reproduce.
    model = mlp(PUBLIC_SIZES)
    p.fill_parameters(model)
    optimizer = adam(model)
    train(model, optimizer, batches)
    p.record("uninterrupted", named_tensors(model))

    # save_checkpoint alone: what torch.load(weights_only=True) makes of its file.
    with p.section():
        model, optimizer = trained(p, batches)
        p.record("saved_model", named_tensors(model))
        p.record("saved_optimizer", optimizer_state(optimizer))
        called = f"save_checkpoint({PATH!r}, model, optimizer, step={BEFORE})"
        p.observe("save", called, save_checkpoint, PATH, model, optimizer, BEFORE)
        p.record("file", read_checkpoint(PATH))

    # load_checkpoint alone, on a checkpoint in the fixed layout that the grader writes itself.
    with p.section():
        model, optimizer = trained(p, batches)
        torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "step": BEFORE}, GIVEN_PATH)
        model, optimizer = fresh(p)
        p.record("fresh_model", named_tensors(model))
        called = f"load_checkpoint({GIVEN_PATH!r}, model, optimizer) with a fresh model and Adam optimizer"
        p.observe("load", called, load_checkpoint, GIVEN_PATH, model, optimizer)
        p.record("loaded_model", named_tensors(model))
        p.observe("loaded_optimizer", "optimizer.state_dict() after load_checkpoint", optimizer_state, optimizer)

    # Both together: save after BEFORE steps, load into fresh objects, train AFTER more steps.
    with p.section():
        model, optimizer = trained(p, batches)
        called = f"save_checkpoint({RESUME_PATH!r}, model, optimizer, step={BEFORE})"
        p.observe("resume_save", called, save_checkpoint, RESUME_PATH, model, optimizer, BEFORE)
        model, optimizer = fresh(p)
        called = f"load_checkpoint({RESUME_PATH!r}, model, optimizer) with a fresh model and Adam optimizer"
        p.observe("resume_load", called, load_checkpoint, RESUME_PATH, model, optimizer)
        p.record("resume_model", named_tensors(model))
        p.observe("resume_optimizer", "optimizer.state_dict() after load_checkpoint", optimizer_state, optimizer)
        p.call(
            "resume", f"{AFTER} more training steps after load_checkpoint", train, model, optimizer, batches[BEFORE:]
        )
        p.record("resume", AFTER)
        p.record("resumed", named_tensors(model))

    if p.hidden:
        hidden_probe(p, save_checkpoint, load_checkpoint)


def hidden_probe(p: Probe, save_checkpoint: Callable[..., Any], load_checkpoint: Callable[..., Any]) -> None:
    sizes = tuple(p.randint(f"hidden/size{i}", 2, 7, secret=True) for i in range(4))
    before = p.randint("hidden/before", 2, 5, secret=True)
    lr = p.randint("hidden/lr", 1, 5, secret=True) / 20
    path = f"run-{p.randint('hidden/path', 10, 99, secret=True)}.pth"

    def sgd(model: nn.Module) -> torch.optim.Optimizer:
        return torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, weight_decay=1e-3)

    batches = p.batches("hidden/train", before + AFTER, BATCH, sizes[0], sizes[-1], secret=True)
    model = mlp(sizes)
    p.fill_parameters(model, "hidden-weights", secret=True)
    optimizer = sgd(model)
    train(model, optimizer, batches)
    p.record("hidden_uninterrupted", named_tensors(model))
    p.record("hidden_before", before)

    with p.section():
        model = mlp(sizes)
        p.fill_parameters(model, "hidden-weights", secret=True)
        optimizer = sgd(model)
        train(model, optimizer, batches[:before])
        p.observe(
            "hidden_save",
            "save_checkpoint on a hidden model with SGD and momentum",
            save_checkpoint,
            path,
            model,
            optimizer,
            before,
        )
        fresh = mlp(sizes)
        p.fill_parameters(fresh, "hidden-fresh-weights", secret=True)
        fresh_optimizer = sgd(fresh)
        p.observe(
            "hidden_load",
            "load_checkpoint on a hidden model with SGD and momentum",
            load_checkpoint,
            path,
            fresh,
            fresh_optimizer,
        )
        p.call(
            "hidden_resume",
            "training more steps after load_checkpoint",
            train,
            fresh,
            fresh_optimizer,
            batches[before:],
        )
        p.record("hidden_resume", AFTER)
        p.record("hidden_resumed", named_tensors(fresh))


# -- the checks ---------------------------------------------------------------------------------


def differing(yours: Any, reference: Mapping[str, torch.Tensor]) -> list[str]:
    """The parameter names whose tensors are not bit for bit the reference's."""
    yours = yours if isinstance(yours, dict) else {}
    return [name for name, tensor in reference.items() if not identical(yours.get(name), tensor)]


@exercise.check(points=2, concept="checkpoints", needs=("save", "file"))
def loads_safely(s: Observations, r: Observations) -> Verdict:
    """torch.load(path, weights_only=True) reads the file save_checkpoint wrote"""
    file = s["file"]
    called = f"save_checkpoint({PATH!r}, model, optimizer, step={BEFORE}), then torch.load({PATH!r}, weights_only=True)"
    if file.get("loaded"):
        return ok(f"Called {called}: your checkpoint loads safely.")
    if file.get("missing"):
        return fail(
            f"Called {called}: there was no file at {PATH!r}.",
            "Write the checkpoint to exactly the path you are given: `torch.save(checkpoint, path)`.",
        )
    if file.get("global"):
        return fail(
            f"Called {called}: torch.load refused your file, because it holds a pickled {file['global']} object "
            "(weights_only=True loads only tensors and plain containers).",
            "Save state_dicts, not objects: `torch.save({'model': model.state_dict(), 'optimizer': "
            "optimizer.state_dict(), 'step': step}, path)`. Loading pickled objects needs weights_only=False, "
            "which can run any code hidden in the file.",
        )
    return fail(
        f"Called {called}: torch.load could not read your file ({file.get('error')}).",
        "Write the checkpoint with `torch.save(checkpoint, path)` and nothing else to that file.",
    )


@exercise.check(points=1, concept="checkpoints", needs=("save", "file"))
def file_layout(s: Observations, r: Observations) -> Verdict:
    """The checkpoint is a dict with "model", "optimizer" and "step", holding the two state_dicts"""
    file, expected = s["file"], r["file"]
    if not file.get("loaded"):
        return fail(
            "Your checkpoint could not be read with weights_only=True (see the check above), so neither "
            "could its contents."
        )
    if file.get("keys") is None:
        return fail(
            f"Your checkpoint holds a {file.get('type')}; the reference's is a dict with keys {KEYS}.",
            "Save one dict: `{'model': ..., 'optimizer': ..., 'step': step}`.",
        )
    if sorted(file["keys"]) != sorted(KEYS):
        return fail(
            f"Your checkpoint is a dict with keys {file['keys']}; the reference's has exactly {KEYS}.",
            "The layout is fixed so that other code can read your checkpoints: use these three keys.",
        )
    if file.get("model_keys") != expected["model_keys"]:
        return fail(
            f"Your checkpoint's 'model' entry holds {describe(file.get('model_keys'))}; the reference's holds the "
            f"model's state_dict, with keys {expected['model_keys']}.",
            "Store `model.state_dict()` under 'model'.",
        )
    if file.get("optimizer_keys") != expected["optimizer_keys"]:
        return fail(
            f"Your checkpoint's 'optimizer' entry holds {describe(file.get('optimizer_keys'))}; the reference's "
            f"holds the optimizer's state_dict, with keys {expected['optimizer_keys']}.",
            "Store `optimizer.state_dict()` under 'optimizer'.",
        )
    if not identical(file.get("step"), expected["step"]):
        return fail(
            f"Your checkpoint's 'step' is {describe(file.get('step'))}; the reference's is {BEFORE}.",
            "Store the int step you are given.",
        )
    return ok("Your checkpoint is a dict with the model's and the optimizer's state_dicts and the step.")


GIVEN = f"load_checkpoint({GIVEN_PATH!r}, model, optimizer), on a checkpoint in the layout above that we wrote,"


@exercise.check(points=2, concept="checkpoints", needs=("load", "loaded_model"))
def model_restored(s: Observations, r: Observations) -> Verdict:
    """load_checkpoint puts the saved weights, bit for bit, into a fresh model"""
    wrong = differing(s["loaded_model"], r["saved_model"])
    called = f"{GIVEN} with a fresh model"
    if not wrong:
        return ok(f"Called {called}: the model holds exactly the saved weights.")
    if not differing(s["loaded_model"], r["fresh_model"]):
        hint = (
            "The model still has its fresh weights: nothing was loaded into it. Call "
            "`model.load_state_dict(checkpoint['model'])` on the model you are given (not on a new one)."
        )
    else:
        hint = "Load the checkpoint's 'model' entry unchanged: `model.load_state_dict(checkpoint['model'])`."
    return fail(
        f"Called {called}: {len(wrong)} of {len(r['saved_model'])} parameters ({listed(wrong, 4)}) are not "
        "the saved weights.",
        hint,
    )


@exercise.check(points=1, concept="checkpoints", needs=("load",))
def step_restored(s: Observations, r: Observations) -> Verdict:
    """load_checkpoint returns the step that was saved"""
    if type(s["load"]) is int and s["load"] == r["load"]:
        return ok(f"load_checkpoint returned {BEFORE}, the saved step.")
    return fail(
        f"Called {GIVEN} saved at step {BEFORE}: yours returned {describe(s['load'])}; the reference returns the "
        f"int {r['load']}.",
        "Return `checkpoint['step']`.",
    )


def optimizer_problem(yours: Any, reference: Mapping[str, Any]) -> str | None:
    """Why the student's restored optimizer state differs from the saved one, or None if it does not."""
    if not isinstance(yours, dict) or not isinstance(yours.get("state"), dict):
        return "we could not read your optimizer's state."
    if not yours["state"] and reference["state"]:
        return (
            "the optimizer is as fresh as it was built, with no per-parameter state at all: Adam's step counts "
            "and running averages are gone."
        )
    if not identical(yours["state"], reference["state"]):
        return "its per-parameter state (Adam's step counts and running averages) differs from the saved one."
    if not identical(yours.get("param_groups"), reference["param_groups"]):
        return "its settings (param_groups: lr, betas, ...) differ from the saved ones."
    return None


@exercise.check(points=2, concept="checkpoints", needs=("load", "loaded_optimizer"))
def optimizer_restored(s: Observations, r: Observations) -> Verdict:
    """load_checkpoint restores the optimizer's state (Adam's running averages) bit for bit"""
    problem = optimizer_problem(s["loaded_optimizer"], r["saved_optimizer"])
    called = f"{GIVEN} with a fresh Adam optimizer"
    if problem is None:
        return ok(f"Called {called}: the optimizer's state is exactly the saved one.")
    return fail(
        f"Called {called}: afterwards {problem}",
        "Call `optimizer.load_state_dict(checkpoint['optimizer'])` on the optimizer you are given.",
    )


@exercise.check(points=2, concept="checkpoints", needs=("resume_save", "resume_load", "resume", "resumed"))
def resumes_identically(s: Observations, r: Observations) -> Verdict:
    """Training saved after 3 steps, resumed and run 3 more equals 6 uninterrupted steps, bit for bit"""
    wrong = differing(s["resumed"], r["uninterrupted"])
    called = (
        f"{BEFORE} Adam steps, save_checkpoint, load_checkpoint into a fresh model and optimizer, then {AFTER} more "
        f"steps, compared with {BEFORE + AFTER} steps that never stopped"
    )
    if not wrong:
        return ok(f"Ran {called}: the weights are the same, bit for bit.")
    saved_optimizer = (s.get("file") or {}).get("optimizer_keys")
    if differing(s.get("resume_model"), r["saved_model"]):
        hint = "The model did not get its saved weights back after your save and load."
    elif isinstance(saved_optimizer, str) or saved_optimizer == []:
        hint = (
            "The weights came back but your checkpoint holds no optimizer state, so the fresh Adam started its "
            "running averages from zero and took different steps. Save `optimizer.state_dict()` too, and load it."
        )
    elif optimizer_problem(s.get("resume_optimizer"), r["saved_optimizer"]):
        hint = (
            "The weights came back but the optimizer's state did not, so the fresh Adam started its running "
            "averages from zero and took different steps. Save `optimizer.state_dict()` and load it with "
            "`optimizer.load_state_dict(...)`."
        )
    else:
        hint = "Restore the model's and the optimizer's state_dicts exactly as they were saved."
    return fail(
        f"Ran {called}: {len(wrong)} of {len(r['uninterrupted'])} parameters differ ({listed(wrong, 4)}).", hint
    )


@exercise.check(
    points=3,
    concept="checkpoints",
    needs=("hidden_save", "hidden_load", "hidden_resume", "hidden_resumed"),
    hidden=True,
)
def hidden_resume(s: Observations, r: Observations) -> Verdict:
    """Saving and resuming a hidden model trained with SGD and momentum matches uninterrupted training"""
    if type(s["hidden_load"]) is not int or s["hidden_load"] != r["hidden_before"]:
        returned = "" if type(s["hidden_load"]) is int else f" (it returned {describe(s['hidden_load'])})"
        return fail(
            "Saved and resumed a hidden model trained with SGD and momentum: load_checkpoint did not return the "
            f"int step that was saved{returned}.",
            "Save the step you are given, as an int, and return it, whatever it is.",
        )
    if differing(s["hidden_resumed"], r["hidden_uninterrupted"]):
        return fail(
            "Saved and resumed a hidden model trained with SGD and momentum, at another step and another path: "
            "the resumed training differs from training that never stopped.",
            "SGD with momentum keeps a velocity for every parameter in its state: save and load "
            "`optimizer.state_dict()` as well as the model's, and use the path and step you are given.",
        )
    return ok("Saving and resuming a hidden model trained with SGD and momentum matches uninterrupted training.")
