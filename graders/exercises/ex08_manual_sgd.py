"""ex08 — one SGD step by hand: update parameters in place under no_grad, then clear the gradients."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from graders.checks import (
    compare_named,
    compare_values,
    count,
    describe,
    holding_gradients,
    identical,
    is_mapping,
    is_tensor,
    listed,
    named_parts,
    scale_between,
    values_match,
)
from graders.i18n import N_, Phrase, _
from graders.probe import Probe, grads_of, mlp, named_tensors, requires_grad_of, type_name, varied
from graders.spec import Claim, Exercise, Hint, Observations, Verdict, fail, ok

exercise = Exercise(
    id="ex08_manual_sgd",
    title=N_("One SGD step by hand"),
    hints=(
        Hint(
            N_(
                "Change each parameter tensor itself, in place: assigning to the loop variable only gives that name a "
                "new tensor, and the model never sees it."
            ),
            checks=("updates_parameters", "second_step"),
        ),
        Hint(
            N_(
                "Autograd refuses to change a parameter in place while it records, so do the update inside a "
                "`torch.no_grad()` block. Leave `requires_grad` as it is: a parameter that no longer requires grad "
                "never learns again."
            ),
            checks=("stays_trainable",),
        ),
        Hint(
            N_(
                "backward() adds to `.grad`. Once a parameter has taken its step, set its gradient to None (or fill it "
                "with zeros), or the next step uses this batch's gradient once more."
            ),
            checks=("clears_gradients", "second_step"),
        ),
        Hint(
            N_(
                "A parameter whose `.grad` is None (frozen, or not part of the loss) has no step to take: skip it and "
                "go on with the next one. `model.parameters()` reaches every parameter, however deeply nested, "
                "whatever layer holds it and whatever its name."
            ),
            checks=("skips_missing_gradients", "hidden_steps"),
        ),
        Hint(
            N_(
                "train_step computes the mean squared error of model(x) against y, calls backward() on it, then your "
                "sgd_step with the lr it was given, and returns that loss, taken before the step, as a Python float "
                "(`.item()`)."
            ),
            checks=("train_losses", "hidden_training"),
        ),
    ),
    error_hints={
        "a leaf Variable that requires grad is being used in an in-place operation": (
            N_(
                "A parameter can be changed in place only while autograd is not recording: do the update inside a "
                "`torch.no_grad()` block."
            )
        ),
        "'NoneType'": (
            N_(
                "Something was None where your code expected a tensor. A parameter's `.grad` is None when the "
                "parameter "
                "is frozen (requires_grad=False) or took no part in the loss: skip such parameters."
            )
        ),
        "object is not iterable": (
            N_(
                "Only containers such as nn.Sequential can be looped over directly; `model.parameters()` reaches the "
                "parameters of any model."
            )
        ),
    },
)

LR = 0.1
PUBLIC_SIZES = (4, 8, 3)
SKIP_SIZES, FROZEN = (4, 8, 8, 3), 2  # model[2], a Linear layer between two others, is frozen
BATCH = 5
TRAIN_STEPS = 3
HIDDEN_STEPS = 2

STEP = Phrase(N_("{called} after one backward()"), called=f"sgd_step(model, lr={LR})")
SKIP = Phrase(
    N_("{called} on an nn.Sequential whose middle Linear layer, {frozen}, is frozen"),
    called=f"sgd_step(model, lr={LR})",
    frozen=f"model[{FROZEN}]",
)
TRAIN = Phrase(N_("{called} {steps} times"), called=f"train_step(model, x, y, lr={LR})", steps=TRAIN_STEPS)
HIDDEN_MODEL = Phrase(
    N_(
        "a hidden model (nested containers, a BatchNorm, a layer used twice, a parameter on the model itself, a "
        "frozen and an unused layer) with another lr"
    )
)
HIDDEN_STEP = Phrase(N_("{called} after backward() on {model}"), called="sgd_step(model, lr)", model=HIDDEN_MODEL)
HIDDEN_TRAIN = Phrase(N_("{called} several times on {model}"), called="train_step(model, x, y, lr)", model=HIDDEN_MODEL)


# -- the probe ------------------------------------------------------------------------------------


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


def without_gradient(tensors: Mapping[str, torch.Tensor]) -> list[str]:
    """The tensors a step must skip: those backward() left no gradient in."""
    return [name for name, t in tensors.items() if t.grad is None]


def replacements(held: Mapping[str, torch.Tensor], model: nn.Module) -> dict[str, torch.Tensor] | None:
    """The model's parameters after a step if some are other objects than the ones it held before (a step
    that put new nn.Parameter objects in), else None."""
    now = named_tensors(model)
    same = now.keys() == held.keys() and all(now[name] is tensor for name, tensor in held.items())
    return None if same else now


def backward(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> None:
    F.mse_loss(model(x), y).backward()


def mse_without_grad(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    with torch.no_grad():
        return F.mse_loss(model(x), y).item()


def batch(p: Probe, name: str, sizes: Sequence[int], secret: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
    return p.randn(f"{name}/x", BATCH, sizes[0], secret=secret), p.randn(f"{name}/y", BATCH, sizes[-1], secret=secret)


def backward_after_step(
    p: Probe,
    key: str,
    called: str | Phrase,
    model: nn.Module,
    trainable: Sequence[str],
    *data: Any,
    hidden: bool = False,
) -> None:
    """The grader's next backward() once the student's step has run; first, whether it can run at all: a
    parameter the step switched off would make backward() fail in the grader's code, not the student's."""
    flags_now = requires_grad_of(model)
    off = [name for name in trainable if not flags_now.get(name, False)]
    if off:
        which = (
            _("parameters that required grad")
            if hidden
            else _("{off} of {total} parameters").format(off=len(off), total=len(trainable))
        )
        switched_off = _(
            "after your sgd_step, {which} no longer require grad, so backward() cannot give them a gradient for the "
            "next step"
        ).format(which=which)
        p.fail(key, "Probe:StepSwitchedOffGrad", switched_off, called)
    p.call(key, called, backward, model, *data)


def run_training(
    p: Probe,
    key: str,
    called: str | Phrase,
    train_step: Callable[..., Any],
    model: nn.Module,
    batches: Sequence[tuple[torch.Tensor, torch.Tensor]],
    lr: float,
    skipped: Sequence[str] = (),
) -> None:
    """train_step on each batch. Recorded: the losses and their types, the parameters before, after the first
    step and at the end, the gradients left after the first step, and the first batch's loss right after the
    first step (computed by the grader, to recognise a loss taken after the step)."""
    p.record(f"{key}_before", named_tensors(model))
    p.record(f"{key}_no_grad", list(skipped))
    losses = [p.call(key, called, train_step, model, *batches[0], lr)]
    p.record(f"{key}_first", named_tensors(model))
    p.record(f"{key}_first_grads", grads_of(named_tensors(model)))
    after = p.call(
        key, _("{called}, then the first batch's loss").format(called=called), mse_without_grad, model, *batches[0]
    )
    p.record(f"{key}_loss_after", after)
    losses += [p.call(key, called, train_step, model, x, y, lr) for x, y in batches[1:]]
    p.record(key, len(losses))
    p.record(f"{key}_losses", losses)
    p.record(f"{key}_trained", named_tensors(model))


@exercise.probe
def probe(p: Probe) -> None:
    sgd_step = p.require("sgd_step")
    train_step = p.require("train_step")

    with p.section():  # one step, then a second one, on a plain model
        model = mlp(PUBLIC_SIZES, nn.Tanh)
        p.fill_parameters(model)
        held = named_tensors(model)  # the tensors an optimizer or a hook would keep hold of
        p.record("before", held)
        backward(model, *batch(p, "step1", PUBLIC_SIZES))
        p.record("grads", grads_of(held))
        p.record("no_grad", without_gradient(held))
        p.observe("step", STEP, sgd_step, model, LR)
        p.record("after", held)
        p.observe("replaced", _("model.named_parameters() after sgd_step"), replacements, held, model)
        p.observe("flags", _("model.named_parameters() after sgd_step"), flags, model)
        p.observe("grads_after", _("reading each parameter's .grad after sgd_step"), grads_of, named_tensors(model))
        called = _("model(x) and loss.backward() on a second batch, after your sgd_step")
        backward_after_step(p, "backward2", called, model, list(held), *batch(p, "step2", PUBLIC_SIZES))
        p.record("backward2", True)
        p.record("grads2", grads_of(held))
        p.record("no_grad2", without_gradient(held))
        p.observe("step2", _("{called} a second time").format(called=f"sgd_step(model, lr={LR})"), sgd_step, model, LR)
        p.record("after2", held)

    with p.section():
        model = mlp(SKIP_SIZES, nn.Tanh)
        p.fill_parameters(model, "skip-weights")
        model[FROZEN].requires_grad_(False)
        held = named_tensors(model)
        p.record("skip_before", held)
        backward(model, *batch(p, "skip", SKIP_SIZES))
        p.record("skip_no_grad", without_gradient(held))
        p.observe("skip_step", SKIP, sgd_step, model, LR)
        p.record("skip_after", held)
        p.observe("skip_replaced", _("model.named_parameters() after sgd_step"), replacements, held, model)

    with p.section():
        model = mlp(PUBLIC_SIZES, nn.Tanh)
        p.fill_parameters(model, "train-weights")
        batches = [batch(p, f"train{i}", PUBLIC_SIZES) for i in range(TRAIN_STEPS)]
        run_training(p, "train", TRAIN, train_step, model, batches, LR)

    if p.hidden:
        features = p.randint("hidden/features", 2, 6, secret=True)
        outputs = p.randint("hidden/outputs", 1, 4, secret=True)
        lr = p.randint("hidden/lr", 1, 4, secret=True) / 50  # never the public 0.1
        with p.section():
            model = varied(p, "hidden/model", features, outputs)
            held = named_tensors(model)
            p.record("hidden_kinds", model.kinds())
            p.record("hidden_before", held)
            trainable = [name for name, t in held.items() if t.requires_grad]
            backward(model, *batch(p, "hidden/step0", (features, outputs), secret=True))
            p.record("hidden_no_grad", without_gradient(held))
            p.call("hidden_step", HIDDEN_STEP, sgd_step, model, lr)
            p.record("hidden_first", held)
            p.observe("hidden_replaced", _("model.named_parameters() after sgd_step"), replacements, held, model)
            p.record("hidden_first_grads", grads_of(named_tensors(model)))
            for index in range(1, HIDDEN_STEPS):
                data = batch(p, f"hidden/step{index}", (features, outputs), secret=True)
                backward_after_step(p, "hidden_backward", HIDDEN_STEP, model, trainable, *data, hidden=True)
                p.call("hidden_step", HIDDEN_STEP, sgd_step, model, lr)
            p.record("hidden_backward", HIDDEN_STEPS)
            p.record("hidden_step", HIDDEN_STEPS)
            p.record("hidden_after", held)
        with p.section():
            model = varied(p, "hidden/train-model", features, outputs)
            kinds = model.kinds()
            p.record("hidden_train_kinds", kinds)
            skipped = [name for name, kind in kinds.items() if kind in ("frozen", "unused")]  # no gradient
            batches = [batch(p, f"hidden/train{i}", (features, outputs), secret=True) for i in range(HIDDEN_STEPS)]
            run_training(p, "hidden_train", HIDDEN_TRAIN, train_step, model, batches, lr, skipped)


# -- judging a step -----------------------------------------------------------------------------


def moved_by(before: Mapping[str, torch.Tensor], after: Mapping[str, Any], names: Sequence[str]) -> torch.Tensor:
    """How far the named tensors moved, as one flat vector."""
    return torch.cat([(before[name].double() - after[name].double()).flatten() for name in names])


def judge_step(
    called: str | Phrase,
    yours: Any,
    before: Mapping[str, torch.Tensor],
    expected: Mapping[str, torch.Tensor],
    skipped: Sequence[str],
    kinds: Mapping[str, str] | None = None,
    replaced: Any = None,
    hint: str | None = None,
) -> Verdict:
    """Parameters after a step against the reference's, explained by what the observations show: which
    parameters moved and which did not, whether the step stopped at the first one without a gradient, and
    whether the moves are the reference's times some factor. ``yours`` are the tensors the model held before
    the step; ``skipped`` the parameters that had no gradient; ``replaced`` the model's parameters after the
    step (new objects show there). ``kinds``: a hidden ``Varied`` model's kinds, which word its parts instead
    of naming them. ``hint``, if given, replaces the hints about sgd_step (train_step's check knows more)."""
    hidden = kinds is not None

    def failed(message: str, own: str) -> Verdict:
        return fail(message, hint or own)

    if values_match(yours, expected):
        return ok(_("Called {called}: every parameter matches the reference's.").format(called=called))
    if not is_mapping(yours) or yours.keys() != expected.keys() or not all(map(is_tensor, yours.values())):
        return compare_named(called, yours, expected, hint, hidden=hidden)
    if any(yours[name].shape != tensor.shape for name, tensor in expected.items()):
        return compare_named(called, yours, expected, hint, hidden=hidden)

    order = list(expected)
    moved = [name for name in order if not identical(yours[name], before[name])]
    wrongly = [name for name in moved if name in skipped]
    if wrongly:
        return failed(
            _(
                "Called {called}: your step changed parameters whose .grad was None (frozen, or no part of the "
                "loss): {parts}; the reference leaves them exactly as they were."
            ).format(called=called, parts=named_parts(wrongly, kinds)),
            _("A parameter whose .grad is None has nothing to step with: leave it alone."),
        )
    # A gradient too small to change a float moves nothing: judge by what the reference's step moved.
    stepped = [name for name in order if name not in skipped and not identical(expected[name], before[name])]
    stale = [name for name in stepped if name not in moved]
    if stale and not moved:
        if replaced is not None and values_match(replaced, expected):
            return failed(
                _(
                    "Called {called}: the parameter tensors the model held before the step did not change; the "
                    "model now holds new parameter objects with the reference's values. An optimizer or a hook that "
                    "holds the parameters would never see your update."
                ).format(called=called),
                _("Change each existing parameter in place instead of putting new nn.Parameter objects in the model."),
            )
        return failed(
            _(
                "Called {called}: your parameters did not change at all: each is bit for bit what it was before the "
                "step, and the reference's moved by −lr · p.grad."
            ).format(called=called),
            _(
                "A step that leaves every parameter as it was never reached them, or only gave a name a new value: "
                "`p = p - lr * p.grad` rebinds p and leaves the model's parameter alone."
            ),
        )
    if stale:
        first = next((name for name in order if name in skipped), None)
        if (
            first is not None
            and all(order.index(name) > order.index(first) for name in stale)
            and all(order.index(name) < order.index(first) for name in moved)
        ):
            return failed(
                _(
                    "Called {called}: your step updated the parameters that come before the first one whose .grad "
                    "is None, and none after it; the reference skips that one and updates the rest."
                ).format(called=called),
                _("Skipping a parameter must not end the loop: go on with the next parameter."),
            )
        return failed(
            _(
                "Called {called}: these parameters had a gradient but did not change: {parts}; the reference "
                "updates every parameter that has one."
            ).format(called=called, parts=named_parts(stale, kinds)),
            _(
                "`model.parameters()` yields every parameter of the model, however deeply nested, whatever kind of "
                "layer holds it and whatever its name."
            ),
        )
    factor = scale_between(moved_by(before, yours, stepped), moved_by(before, expected, stepped))
    if factor is not None and factor < 0:
        return failed(
            _(
                "Called {called}: your parameters moved along their gradient; the reference's move against it, by "
                "−lr · p.grad."
            ).format(called=called),
            _("A step of gradient descent subtracts lr · p.grad."),
        )
    if factor is not None:
        message = (
            _(
                "Called {called}: each parameter moved against its gradient, but by another multiple of it than the "
                "learning rate given."
            )
            if hidden
            else _(
                "Called {called}: each parameter moved against its gradient, but {factor:.4g} times as far as the "
                "reference's, which moves by lr · p.grad."
            )
        )
        return failed(message.format(called=called, factor=factor), _("Step with exactly the lr that was passed in."))
    return compare_named(called, yours, expected, hint, hidden=hidden)


# -- the checks ---------------------------------------------------------------------------------


@exercise.check(points=3, concept="autograd", needs=("step", "after"))
def updates_parameters(s: Observations, r: Observations) -> Verdict:
    """sgd_step(model, 0.1) changes every parameter, in place, to p − 0.1·p.grad"""
    return judge_step(STEP, s["after"], r["before"], r["after"], r["no_grad"], replaced=s.get("replaced"))


def flag_problem(yours: Mapping[str, Any]) -> str:
    """What the flags of one parameter show."""
    if not yours.get("requires_grad"):
        return _(
            "It no longer requires grad, so it will never get a gradient or learn again. Do not switch "
            "requires_grad off to make the in-place update work; do the update inside a `torch.no_grad()` block."
        )
    if not yours.get("is_leaf") or yours.get("grad_fn"):
        return _(
            "It is now the result of a computation autograd recorded (grad_fn {grad_fn}) instead of a leaf: do the "
            "update inside a `torch.no_grad()` block so that the step is not part of the graph."
        ).format(grad_fn=yours.get("grad_fn"))
    return _("Its autograd flags differ from the reference's.")


@exercise.check(points=2, concept="autograd", needs=("step", "flags"))
def stays_trainable(s: Observations, r: Observations) -> Verdict:
    """After sgd_step every parameter is still a leaf that requires grad"""
    yours, reference = s["flags"], r["flags"]
    if not is_mapping(yours) or yours.keys() != reference.keys():
        return fail(
            _("After sgd_step your model's parameters are {yours}; the reference's are {reference}.").format(
                yours=describe(yours), reference=listed(reference, None)
            )
        )
    for name, expected in reference.items():
        if yours[name] != expected:
            return fail(
                _(
                    "After {called}, parameter {name!r} has requires_grad={requires_grad}, is_leaf={is_leaf}, "
                    "grad_fn={grad_fn}; the reference's has requires_grad={r_requires_grad}, is_leaf={r_is_leaf}, "
                    "grad_fn={r_grad_fn}."
                ).format(
                    called=STEP,
                    name=name,
                    requires_grad=yours[name].get("requires_grad"),
                    is_leaf=yours[name].get("is_leaf"),
                    grad_fn=yours[name].get("grad_fn"),
                    r_requires_grad=expected["requires_grad"],
                    r_is_leaf=expected["is_leaf"],
                    r_grad_fn=expected["grad_fn"],
                ),
                flag_problem(yours[name]),
            )
    return ok(_("After sgd_step every parameter is still a leaf tensor that requires grad."))


@exercise.check(points=1, concept="autograd", needs=("step", "grads_after"))
def clears_gradients(s: Observations, r: Observations) -> Verdict:
    """After sgd_step every gradient is None or all zeros"""
    yours = s["grads_after"]
    if not is_mapping(yours):
        return fail(
            _("After sgd_step we could not read your parameters' gradients (got {what}).").format(what=describe(yours))
        )
    left = holding_gradients(yours)
    if left:
        return fail(
            _(
                "After {called}, {left} of {total} parameters still hold a gradient ({names}); the reference leaves "
                "them all None."
            ).format(called=STEP, left=count(len(left)), total=count(len(yours)), names=listed(left)),
            _(
                "backward() adds to .grad, so a gradient left there leaks into the next step: clear it once the "
                "parameter has taken its step."
            ),
        )
    return ok(_("After sgd_step every gradient is cleared."))


@exercise.check(points=2, concept="autograd", needs=("step", "backward2", "step2", "after2", "grads2"))
def second_step(s: Observations, r: Observations) -> Verdict:
    """A second backward() and sgd_step give the reference's parameters"""
    called = _("{step}, backward() on a second batch, then sgd_step again").format(step=STEP)
    if not values_match(s["after"], r["after"]):
        return fail(
            _(
                "Called {called}: your first step already differs from the reference's (see the check on it), so "
                "the second cannot match."
            ).format(called=called)
        )
    grads = s["grads2"]
    if not values_match(grads, r["grads2"]):
        summed = {name: r["grads"][name] + r["grads2"][name] for name in r["grads"]}
        if values_match(grads, summed):
            return fail(
                _(
                    "Called {called}: before your second step each .grad held the sum of the first and the second "
                    "batch's gradients: the first step left its gradient in .grad, and backward() added to it."
                ).format(called=called),
                _("Clear each gradient in sgd_step, once its parameter has taken its step."),
            )
        return fail(
            _(
                "Called {called}: before your second step the gradients differ from the ones backward() gives the "
                "reference on the same batch."
            ).format(called=called)
        )
    return judge_step(called, s["after2"], r["after"], r["after2"], r["no_grad2"])


@exercise.check(points=1, concept="autograd", needs=("skip_step", "skip_after"))
def skips_missing_gradients(s: Observations, r: Observations) -> Verdict:
    """sgd_step skips the parameters of a frozen layer, whose .grad is None, and updates the rest"""
    return judge_step(
        SKIP, s["skip_after"], r["skip_before"], r["skip_after"], r["skip_no_grad"], replaced=s.get("skip_replaced")
    )


def judge_training(
    called: str | Phrase, s: Observations, r: Observations, key: str, sgd_right: bool, kinds: Any = None
) -> Verdict:
    """train_step's losses and parameters against the reference's, explained by the first loss, the first
    step and the gradients that step left; ``sgd_right``: whether the student's sgd_step, called on its own on
    a model of the same kind, took the reference's step. ``kinds``: a hidden model's kinds (hidden messages)."""
    hidden = kinds is not None
    losses, expected = s[f"{key}_losses"], r[f"{key}_losses"]
    odd = [loss for loss in losses if type(loss) is not float] if isinstance(losses, list) else [losses]
    if odd:
        return fail(
            _("Called {called}: it returned {what}; the reference returns the loss as a float each time.").format(
                called=called, what=describe(odd[0])
            ),
            _(
                "Return the loss as a Python number with `.item()`: the loss tensor keeps the whole graph of the "
                "forward pass alive."
            ),
        )
    yours, reference = torch.tensor(losses, dtype=torch.float64), torch.tensor(expected, dtype=torch.float64)
    first = _("{called}, the first loss it returned").format(called=called)
    if not values_match(yours[:1], reference[:1]):
        if values_match(yours[:1], torch.tensor([s[f"{key}_loss_after"]], dtype=torch.float64)):
            return fail(
                _(
                    "Called {called}: the first loss you returned is the loss of the model after its step; the "
                    "reference returns the loss it stepped with, computed before the step."
                ).format(called=called),
                _("Keep the loss you call backward() on, and return that one."),
            )
        hint = _("The loss is the mean squared error of model(x) against y (F.mse_loss), before any step.")
        return compare_values(first, yours[:1], reference[:1], hint, hidden=hidden)
    step = _("{called}, the parameters after the first step").format(called=called)
    cause = (
        _(
            "Your sgd_step takes this step right when it is called on its own (see its check), so look at train_step "
            "around it: backward() first, then sgd_step with the lr train_step was given and the gradients still in "
            "place."
        )
        if sgd_right
        else _("Your sgd_step already goes wrong when it is called on its own: see its check first.")
    )
    verdict = judge_step(
        step, s[f"{key}_first"], r[f"{key}_before"], r[f"{key}_first"], r[f"{key}_no_grad"], kinds, hint=cause
    )
    if not verdict.passed:
        return verdict
    if not values_match(yours, reference):
        left = holding_gradients(s[f"{key}_first_grads"])
        if left and not holding_gradients(r[f"{key}_first_grads"]):
            return fail(
                _(
                    "Called {called}: the first loss and step match the reference's, later ones do not; after the "
                    "first step these parameters still held a gradient, which the next backward() added to: {parts}."
                ).format(called=called, parts=named_parts(left, kinds)),
                _("Clear the gradients once the step is taken (your sgd_step does it if train_step calls it)."),
            )
        return compare_values(
            _("{called}, the losses it returned").format(called=called), yours, reference, None, hidden
        )
    verdict = compare_named(called, s[f"{key}_trained"], r[f"{key}_trained"], hidden=hidden)
    return (
        verdict if not verdict.passed else ok(_("Called {called}: it trains like the reference.").format(called=called))
    )


@exercise.check(points=2, concept="autograd", needs=("train", "train_losses", "train_trained"))
def train_losses(s: Observations, r: Observations) -> Verdict:
    """train_step returns the loss, before the step, as a float, and trains like the reference over 3 steps"""
    return judge_training(TRAIN, s, r, "train", values_match(s.get("after"), r["after"]))


@exercise.check(
    points=2, concept="autograd", needs=("hidden_backward", "hidden_step", "hidden_first", "hidden_after"), hidden=True
)
def hidden_steps(s: Observations, r: Observations) -> Verdict:
    """sgd_step with another lr on a hidden model of every structure matches the reference, step after step"""
    kinds = r["hidden_kinds"]
    verdict = judge_step(
        HIDDEN_STEP,
        s["hidden_first"],
        r["hidden_before"],
        r["hidden_first"],
        r["hidden_no_grad"],
        kinds,
        s.get("hidden_replaced"),
    )
    if not verdict.passed:
        return verdict
    left = holding_gradients(s.get("hidden_first_grads"))
    if left:
        return fail(
            _("Called {called}: after the step these parameters still held a gradient: {parts}.").format(
                called=HIDDEN_STEP, parts=named_parts(left, kinds)
            ),
            _("Clear the gradient of every parameter that took a step."),
        )
    called = _("{called}, {steps} times").format(called=HIDDEN_STEP, steps=HIDDEN_STEPS)
    verdict = compare_named(called, s["hidden_after"], r["hidden_after"], hidden=True)
    return verdict if not verdict.passed else ok(_("Called {called}: every step matches.").format(called=called))


@exercise.check(
    points=1, concept="autograd", needs=("hidden_train", "hidden_train_losses", "hidden_train_trained"), hidden=True
)
def hidden_training(s: Observations, r: Observations) -> Verdict:
    """train_step with another lr on a hidden model of every structure trains like the reference"""
    sgd_right = values_match(s.get("hidden_first"), r["hidden_first"])
    return judge_training(HIDDEN_TRAIN, s, r, "hidden_train", sgd_right, r["hidden_train_kinds"])


exercise.claims = (
    Claim("moves each parameter a little against its gradient", ("updates_parameters",)),
    Claim("p ← p − lr · p.grad", ("updates_parameters", "second_step")),
    Claim(
        "update every parameter of ``model`` that has a gradient, **in place**, then clear its gradient",
        ("updates_parameters", "clears_gradients", "second_step", "hidden_steps"),
    ),
    Claim(
        "Skip parameters whose ``p.grad`` is None: they are frozen (``requires_grad=False``) or took no part in the "
        "loss.",
        ("skips_missing_gradients", "hidden_steps"),
    ),
    Claim("``model`` can be any ``nn.Module``", ("hidden_steps", "hidden_training")),
    Claim(
        "one step of training on the batch ``(x, y)`` with the mean squared error", ("train_losses", "hidden_training")
    ),
    Claim("Returns the loss (computed before the step) as a Python float.", ("train_losses",)),
    Claim(">>> model = nn.Linear(1, 1)", ("train_losses", "clears_gradients")),
    Claim("**Change the parameter itself.**", ("updates_parameters",)),
    Claim("Update in place: ``p -= lr * p.grad``", ("updates_parameters",)),
    Claim("Put the update inside ``with torch.no_grad():``.", ("stays_trainable",)),
    Claim("Do not switch ``requires_grad`` off to get around the error", ("stays_trainable",)),
    Claim("If you do not clear it, the next step uses the sum", ("second_step",)),
    Claim("Return ``loss.item()``, not ``loss``", ("train_losses",)),
    Claim("for every parameter with a gradient, in place; then clear the gradients.", ("updates_parameters",)),
    Claim("Mean squared error of model(x) against y, backward, one sgd_step", ("train_losses", "hidden_training")),
)
exercise.prose = (
    "Exercise 08",
    "After ``loss.backward()``, every parameter ``p`` that took part in the loss holds the gradient",
    "This is what ``torch.optim.SGD`` does for you",
    "Write two functions",
    "Three things to get right:",
    "computes a new tensor and rebinds the local name ``p`` to it",
    "A parameter is a *leaf* tensor that requires grad, and autograd refuses",
    "works too — ``.data`` is the same storage",
    "``backward()`` *adds* to ``p.grad``; it never overwrites it.",
)
