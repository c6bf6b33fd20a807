"""ex08 — one SGD step by hand: update parameters in place under no_grad, then clear the gradients."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from graders.checks import compare_named, compare_values, describe, identical, is_tensor, listed, values_match
from graders.probe import Probe, mlp, named_tensors, type_name
from graders.spec import Exercise, Hint, Observations, Verdict, fail, ok

exercise = Exercise(
    id="ex08_manual_sgd",
    title="One SGD step by hand",
    hints=(
        Hint(
            "Loop over `model.parameters()` and change each tensor itself: `p -= lr * p.grad`. "
            "`p = p - lr * p.grad` only rebinds the loop variable; the model never sees the new tensor.",
            checks=("updates_parameters", "second_step"),
        ),
        Hint(
            "Do the update inside `with torch.no_grad():` — autograd refuses in-place changes to a leaf "
            "that requires grad while it is recording. Leave `requires_grad` alone: switching it off stops "
            "the parameter from learning.",
            checks=("updates_parameters", "stays_trainable"),
        ),
        Hint(
            "backward() adds to `p.grad`. After updating a parameter, clear its gradient with `p.grad = None` "
            "(or `p.grad.zero_()`), and skip parameters whose `p.grad` is None. In `train_step`, return "
            "`loss.item()`.",
            checks=("clears_gradients", "second_step", "train_losses"),
        ),
    ),
    error_hints={
        "a leaf Variable that requires grad is being used in an in-place operation": (
            "A parameter can only be changed in place while autograd is not recording: put the update inside "
            "`with torch.no_grad():`."
        ),
        "'NoneType'": (
            "A parameter's `.grad` is None when the parameter is frozen (requires_grad=False) or took no part "
            "in the loss: skip it (`if p.grad is None: continue`)."
        ),
        "element 0 of tensors does not require grad": (
            "After your sgd_step no parameter requires grad any more, so the next backward() has nothing to "
            "differentiate. Do not switch `requires_grad` off; update under `torch.no_grad()` instead."
        ),
    },
)

LR = 0.1
PUBLIC_SIZES = (4, 8, 3)
BATCH = 5
TRAIN_STEPS = 3
HIDDEN_STEPS = 4


def flags(model: nn.Module) -> dict[str, dict[str, Any]]:
    """What autograd thinks of each parameter after the step."""
    return {
        name: {
            "requires_grad": bool(t.requires_grad),
            "is_leaf": bool(t.is_leaf),
            "grad_fn": type_name(t.grad_fn) if t.grad_fn is not None else None,
        }
        for name, t in model.named_parameters()
    }


def backward(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> None:
    F.mse_loss(model(x), y).backward()


def batch(p: Probe, name: str, sizes: tuple[int, ...], secret: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
    return p.randn(f"{name}/x", BATCH, sizes[0], secret=secret), p.randn(f"{name}/y", BATCH, sizes[-1], secret=secret)


@exercise.probe
def probe(p: Probe) -> None:
    sgd_step = p.require("sgd_step")
    train_step = p.require("train_step")

    with p.section():
        model = mlp(PUBLIC_SIZES, nn.Tanh)
        p.fill_parameters(model)
        held = named_tensors(model)  # the tensors an optimizer or a hook would keep hold of
        p.record("before", held)
        backward(model, *batch(p, "step1", PUBLIC_SIZES))
        p.record("grads", {name: t.grad for name, t in held.items()})
        p.observe("step", f"sgd_step(model, lr={LR})", sgd_step, model, LR)
        p.record("after", held)
        p.observe("model_after", "model.named_parameters() after sgd_step", named_tensors, model)
        p.observe("flags", "model.named_parameters() after sgd_step", flags, model)
        p.observe(
            "grads_after",
            "reading each parameter's .grad after sgd_step",
            lambda: {name: t.grad for name, t in model.named_parameters()},
        )
        p.observe(
            "backward2",
            "model(x) and loss.backward() after your sgd_step",
            backward,
            model,
            *batch(p, "step2", PUBLIC_SIZES),
        )
        p.record("grads2", {name: t.grad for name, t in held.items()})
        p.observe("step2", f"sgd_step(model, lr={LR}) a second time", sgd_step, model, LR)
        p.record("after2", held)

    with p.section():
        model = mlp(PUBLIC_SIZES, nn.Tanh)
        p.fill_parameters(model, "train-weights")
        model[0].requires_grad_(False)  # a frozen layer: its parameters get no gradient
        losses = []
        for i in range(TRAIN_STEPS):
            x, y = batch(p, f"train{i}", PUBLIC_SIZES)
            called = f"train_step(model, x, y, lr={LR}) (step {i + 1} of {TRAIN_STEPS})"
            losses.append(p.call("train", called, train_step, model, x, y, LR))
        p.record("train", len(losses))
        p.record("losses", losses)
        p.record("loss_types", [type_name(loss) for loss in losses])
        p.observe("trained", "model.named_parameters() after training", named_tensors, model)

    if p.hidden:
        hidden_probe(p, sgd_step, train_step)


def hidden_probe(p: Probe, sgd_step: Callable[..., Any], train_step: Callable[..., Any]) -> None:
    sizes = tuple(p.randint(f"hidden/size{i}", 2, 7, secret=True) for i in range(4))
    lr = p.randint("hidden/lr", 1, 9, secret=True) / 20
    with p.section():
        model = mlp(sizes, nn.Tanh)
        p.fill_parameters(model, "hidden-weights", secret=True)
        held = named_tensors(model)
        for i in range(HIDDEN_STEPS):
            p.call(
                "hidden_backward",
                "model(x) and loss.backward() on a hidden model",
                backward,
                model,
                *batch(p, f"hidden/step{i}", sizes, secret=True),
            )
            p.call("hidden_step", "sgd_step(model, lr) on a hidden model and learning rate", sgd_step, model, lr)
        p.record("hidden_backward", HIDDEN_STEPS)
        p.record("hidden_step", HIDDEN_STEPS)
        p.record("hidden_after", held)
    with p.section():
        model = mlp(sizes, nn.Tanh)
        p.fill_parameters(model, "hidden-train-weights", secret=True)
        model[-1].bias.requires_grad_(False)
        losses = []
        for i in range(HIDDEN_STEPS):
            x, y = batch(p, f"hidden/train{i}", sizes, secret=True)
            losses.append(
                p.call("hidden_train", "train_step(model, x, y, lr) on a hidden model", train_step, model, x, y, lr)
            )
        p.record("hidden_train", len(losses))
        p.record("hidden_losses", losses)
        p.observe("hidden_trained", "model.named_parameters() after training", named_tensors, model)


# -- comparing named tensors ---------------------------------------------------------------


def step_direction(s: Observations, r: Observations) -> str | None:
    """What the student's first step did, read from the values it left (None if it looks right)."""
    after, before, grads = s["after"], r["before"], r["grads"]
    if identical(after, before):
        if values_match(s.get("model_after"), r["after"]):
            return (
                "The model holds new parameter objects with the right values, but the tensors it had before "
                "the step did not change: an optimizer or hook that holds them would never see the update. "
                "Change each parameter in place (`p -= lr * p.grad` under torch.no_grad()) instead of "
                "assigning new nn.Parameter objects."
            )
        return (
            "Your parameters did not change at all: they are bit for bit what they were before the step. "
            "`p = p - lr * p.grad` computes a new tensor and rebinds the name p; the model's parameter stays "
            "as it was. Update in place: `p -= lr * p.grad` under torch.no_grad()."
        )
    if values_match(after, {n: before[n] + LR * grads[n] for n in before}):
        return "Your parameters moved along the gradient instead of against it: subtract, `p -= lr * p.grad`."
    return None


@exercise.check(points=3, concept="autograd", needs=("step", "after"))
def updates_parameters(s: Observations, r: Observations) -> Verdict:
    """sgd_step(model, 0.1) changes every parameter to p − 0.1·p.grad"""
    hint = step_direction(s, r) or "Each parameter must become `p - lr * p.grad`, with the lr you were given."
    return compare_named(f"sgd_step(model, lr={LR}) after one backward()", s["after"], r["after"], hint)


def flag_problem(yours: Mapping[str, Any]) -> str:
    if not yours.get("requires_grad"):
        return (
            "it no longer requires grad, so it will never get a gradient or learn again. Do not switch "
            "requires_grad off to make the in-place update work; wrap the update in `with torch.no_grad():`."
        )
    if not yours.get("is_leaf") or yours.get("grad_fn"):
        return (
            f"it is now the result of a computation autograd recorded (grad_fn {yours.get('grad_fn')}) instead "
            "of a leaf: update under `with torch.no_grad():` so the step is not part of the graph."
        )
    return "its autograd flags differ from the reference's."


@exercise.check(points=2, concept="autograd", needs=("step", "flags"))
def stays_trainable(s: Observations, r: Observations) -> Verdict:
    """After sgd_step every parameter is still a leaf that requires grad"""
    yours, reference = s["flags"], r["flags"]
    if not isinstance(yours, dict) or yours.keys() != reference.keys():
        return fail(f"After sgd_step your model's parameters are {describe(yours)}; expected {sorted(reference)}.")
    for name, expected in reference.items():
        if yours[name] != expected:
            return fail(
                f"After sgd_step(model, lr={LR}), parameter {name!r} has requires_grad="
                f"{yours[name].get('requires_grad')}, is_leaf={yours[name].get('is_leaf')}, grad_fn="
                f"{yours[name].get('grad_fn')}; the reference's has requires_grad={expected['requires_grad']}, "
                f"is_leaf={expected['is_leaf']}, grad_fn={expected['grad_fn']}.",
                flag_problem(yours[name]),
            )
    return ok("After sgd_step every parameter is still a leaf tensor that requires grad.")


def cleared(grad: Any) -> bool:
    return grad is None or (is_tensor(grad) and not bool(grad.any()))


@exercise.check(points=1, concept="autograd", needs=("step", "grads_after"))
def clears_gradients(s: Observations, r: Observations) -> Verdict:
    """After sgd_step every gradient is None or all zeros"""
    yours = s["grads_after"]
    if not isinstance(yours, dict):
        return fail(f"After sgd_step we could not read your parameters' gradients (got {describe(yours)}).")
    left = [name for name, grad in yours.items() if not cleared(grad)]
    if left:
        return fail(
            f"After sgd_step(model, lr={LR}), {len(left)} of {len(yours)} parameters still hold a gradient "
            f"({listed(left)}); the reference leaves them all None.",
            "backward() adds to .grad, so an uncleared gradient leaks into the next step. After updating "
            "a parameter, set `p.grad = None` (or `p.grad.zero_()`).",
        )
    return ok("After sgd_step every gradient is cleared.")


@exercise.check(points=2, concept="autograd", needs=("step", "backward2", "step2", "after2", "grads2"))
def second_step(s: Observations, r: Observations) -> Verdict:
    """A second backward() and sgd_step give the reference's parameters"""
    if not values_match(s["after"], r["after"]):
        first = step_direction(s, r) or ""
        hint = f"Your first step is already wrong (see the first check). {first}".strip()
    elif not values_match(s["grads2"], r["grads2"]):
        hint = (
            "Before the second step your gradients were not this batch's gradients: the first step's gradient "
            "was still in .grad and backward() added to it. Clear every gradient at the end of sgd_step "
            "(`p.grad = None`)."
        )
    else:
        hint = "Your second step used the right gradients; check that each parameter becomes p - lr * p.grad."
    return compare_named(
        f"backward(), sgd_step(model, lr={LR}), backward() again, sgd_step again", s["after2"], r["after2"], hint
    )


@exercise.check(points=2, concept="autograd", needs=("train", "losses", "trained"))
def train_losses(s: Observations, r: Observations) -> Verdict:
    """train_step returns the loss as a float and trains like the reference over 3 steps"""
    called = f"train_step(model, x, y, lr={LR}) {TRAIN_STEPS} times on a model whose first layer is frozen"
    kinds = s.get("loss_types") or []
    if any(kind != "float" for kind in kinds):
        return fail(
            f"Called {called}: yours returned {', '.join(kinds)}; the reference returns a float each time.",
            "Return `loss.item()`, a Python float; the loss tensor keeps the whole graph of the forward pass alive.",
        )
    yours = torch.tensor(s["losses"], dtype=torch.float64)
    reference = torch.tensor(r["losses"], dtype=torch.float64)
    hint = (
        "Your first loss matches the reference's and later ones do not, so your steps differ from the reference's "
        "(see the checks on sgd_step)."
        if values_match(yours[:1], reference[:1])
        else "The loss is computed before the update: `F.mse_loss(model(x), y)`, then backward(), then sgd_step."
    )
    verdict = compare_values(called + ", the losses it returned", yours, reference, hint)
    if not verdict.passed:
        return verdict
    return compare_named(
        called,
        s["trained"],
        r["trained"],
        "The losses match but the parameters after training do not: does train_step call sgd_step with the lr "
        "it was given, after backward()?",
    )


HIDDEN_HINT = (
    "Your sgd_step works on the public model but not on a hidden one with other layer sizes, another learning "
    "rate and several steps: use the lr argument, update every parameter that has a gradient, and clear the "
    "gradients after each step."
)


@exercise.check(points=2, concept="autograd", needs=("hidden_backward", "hidden_step", "hidden_after"), hidden=True)
def hidden_steps(s: Observations, r: Observations) -> Verdict:
    """Several sgd_steps on a hidden model with another learning rate match the reference"""
    return compare_named(
        "sgd_step several times on a hidden model", s["hidden_after"], r["hidden_after"], HIDDEN_HINT, hidden=True
    )


@exercise.check(points=1, concept="autograd", needs=("hidden_train", "hidden_losses", "hidden_trained"), hidden=True)
def hidden_training(s: Observations, r: Observations) -> Verdict:
    """train_step on a hidden model with a frozen bias matches the reference"""
    yours = s["hidden_losses"]
    called = "train_step several times on a hidden model"
    if not all(type(loss) is float for loss in yours):
        return fail(f"Called {called}: it did not return a float each time.", "Return `loss.item()`.")
    verdict = compare_values(
        called,
        torch.tensor(yours, dtype=torch.float64),
        torch.tensor(r["hidden_losses"], dtype=torch.float64),
        HIDDEN_HINT,
        hidden=True,
    )
    if not verdict.passed:
        return verdict
    return compare_named(called, s["hidden_trained"], r["hidden_trained"], HIDDEN_HINT, hidden=True)
