"""ex09 — freeze a backbone and optimise only the head: requires_grad flags, stale gradients, param groups."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from graders.checks import (
    compare_gradients,
    compare_modes,
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
    values_match,
)
from graders.i18n import N_, Phrase, _
from graders.probe import (
    Probe,
    grads_of,
    mlp,
    modules_in_eval_mode,
    named_tensors,
    requires_grad_of,
    type_name,
    varied,
)
from graders.spec import Claim, Exercise, Hint, Observations, Verdict, fail, ok

exercise = Exercise(
    id="ex09_freeze",
    preload=("torch._dynamo",),  # the probe trains with torch.optim
    title=N_("Freeze a backbone, train only the head"),
    hints=(
        Hint(
            N_(
                "Freezing is a property of each parameter, not of the module: every parameter the module holds, "
                "however "
                "deep, gets requires_grad=False (Module.requires_grad_ does it for all of them at once). Setting an "
                "attribute on the module object freezes nothing, and neither does eval()."
            ),
            checks=("freeze_flags", "fine_tune_backbone", "hidden_freeze"),
        ),
        Hint(
            N_(
                "A frozen parameter may still hold a gradient from earlier training: drop it in freeze, and give the "
                "optimizer only the parameters that still require grad. An optimizer that holds a frozen weight still "
                "moves it through weight decay and momentum."
            ),
            checks=("freeze_drops_grads", "optimizer_params", "fine_tune_backbone", "hidden_optimizer"),
        ),
        Hint(
            N_("freeze changes requires_grad and .grad, nothing else: leave train() and eval() to whoever trains."),
            checks=("freeze_keeps_mode",),
        ),
        Hint(
            N_(
                "make_optimizer returns torch.optim.SGD over the parameters that require grad, with the lr it is "
                "given, "
                "momentum 0.9 and weight decay 1e-2."
            ),
            checks=("optimizer_settings", "hidden_optimizer"),
        ),
        Hint(
            N_(
                "In fine_tune: freeze the backbone, build the optimizer with make_optimizer, then for each batch zero "
                "the gradients before backward(), step, and keep the loss as a Python float. y holds class indices, "
                "which F.cross_entropy takes as they are."
            ),
            checks=("fine_tune_head", "hidden_fine_tune"),
        ),
    ),
    error_hints={
        "optimizer got an empty parameter list": (
            N_(
                "No parameter of the model requires grad any more: freeze only model.backbone, and build the "
                "optimizer from the parameters that still require grad (the head's)."
            )
        ),
        "element 0 of tensors does not require grad": (
            N_(
                "Nothing in the model requires grad any more, so backward() has nothing to do: freeze only the "
                "backbone, not the head."
            )
        ),
        "object is not subscriptable": (
            N_(
                "Only containers such as nn.Sequential can be indexed; `module.parameters()` reaches every parameter "
                "of "
                "any module."
            )
        ),
    },
)


LR = 0.1
BATCH = 6
PUBLIC_STEPS = 3
HIDDEN_STEPS = 2
FROZEN = "backbone."
FREEZE = "freeze(model.backbone)"
FROZEN_CALL = Phrase(N_("{called} after {freeze}"), called="model(x)", freeze=FREEZE)
HIDDEN_MODEL = Phrase(
    N_(
        "a hidden model whose backbone has nested containers, a BatchNorm, a layer used twice, a parameter of its "
        "own, a frozen and an unused layer, and whose head has two layers"
    )
)
HIDDEN_FREEZE = Phrase(N_("{called} on {model}"), called=FREEZE, model=HIDDEN_MODEL)
HIDDEN_OPTIMIZER = Phrase(
    N_("{called} on {model}, its backbone and the head's first layer frozen"),
    called="make_optimizer(model, lr)",
    model=HIDDEN_MODEL,
)
HIDDEN_FINE_TUNE = Phrase(
    N_("{called} on {model}, with other classes and another lr"),
    called="fine_tune(model, batches, lr)",
    model=HIDDEN_MODEL,
)


class Net(nn.Module):
    def __init__(self, backbone: nn.Module, head: nn.Module):
        super().__init__()
        self.backbone = backbone
        self.head = head

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.backbone(x))


def public_model() -> Net:
    return Net(mlp((6, 8, 8), activate_last=True), nn.Linear(8, 3))


def earlier_training(p: Probe, model: Net, features: int, classes: int, secret: bool = False) -> None:
    """Leave a gradient in every parameter, as a first stage of training would."""
    ((x, y),) = p.batches("stage1/", 1, BATCH, features, classes, secret)
    F.cross_entropy(model(x), y).backward()


def param_groups(optimizer: Any, names: Mapping[int, str]) -> list[dict[str, Any]]:
    """The optimizer's groups as data: which of the model's parameters each holds, and its settings."""
    groups = []
    for group in optimizer.param_groups:
        groups.append(
            {
                "params": [
                    names.get(id(t), _("a tensor that is not a parameter of the model")) for t in group["params"]
                ],
                **{key: group.get(key) for key in ("lr", "momentum", "weight_decay", "dampening", "nesterov")},
            }
        )
    return groups


def run_steps(model: Net, optimizer: Any, batches: list) -> None:
    """Train with the student's optimizer the way a careless loop would: zero-filled, not dropped, gradients."""
    for x, y in batches:
        optimizer.zero_grad(set_to_none=False)
        F.cross_entropy(model(x), y).backward()
        optimizer.step()


def observe_optimizer(
    p: Probe, key: str, called: str | Phrase, make_optimizer: Callable[..., Any], model: Net, lr: float
) -> Any:
    """Call make_optimizer; record its type (``key``) and its groups (``key``_groups)."""
    optimizer = p.call(key, called, make_optimizer, model, lr)
    p.record(key, type_name(optimizer))
    names = {id(t): name for name, t in model.named_parameters()}
    p.observe(f"{key}_groups", _("reading your optimizer's param_groups"), param_groups, optimizer, names)
    return optimizer


def observe_freeze(p: Probe, prefix: str, called: str | Phrase, freeze: Callable[..., Any], model: Net) -> None:
    """Call freeze(model.backbone); record (under ``prefix``) the flags, gradients and modes it left, and a
    requires_grad attribute set on the module object itself, if any."""
    p.call(f"{prefix}freeze", called, freeze, model.backbone)
    p.record(f"{prefix}freeze", True)
    p.record(f"{prefix}frozen_flags", requires_grad_of(model))
    p.record(f"{prefix}frozen_grads", grads_of(named_tensors(model)))
    p.record(f"{prefix}modes", modules_in_eval_mode(model))
    attributes = vars(model.backbone)
    p.record(f"{prefix}module_attribute", [attributes["requires_grad"]] if "requires_grad" in attributes else [])


def backbone_kinds(model: Net) -> dict[str, str]:
    """The kinds of a Varied backbone's tensors, by their names in the whole model."""
    return {f"{FROZEN}{name}": kind for name, kind in model.backbone.kinds().items()}


def observe_fine_tune(
    p: Probe, key: str, called: str | Phrase, fine_tune: Callable[..., Any], model: Net, batches: list, lr: float
) -> None:
    """Call fine_tune; record what it returned and the model afterwards."""
    p.record(f"{key}_initial", named_tensors(model))
    losses = p.call(key, called, fine_tune, model, batches, lr)
    p.record(key, type_name(losses))
    p.record(f"{key}_tuned", named_tensors(model))
    p.record(f"{key}_flags", requires_grad_of(model))
    p.record(f"{key}_modes", modules_in_eval_mode(model))
    p.record(f"{key}_head_grads", grads_of(named_tensors(model.head)))
    p.observe(f"{key}_losses", _("reading the losses fine_tune returned"), list, losses)


@exercise.probe
def probe(p: Probe) -> None:
    freeze = p.require("freeze")
    make_optimizer = p.require("make_optimizer")
    fine_tune = p.require("fine_tune")

    with p.section():
        model = public_model()
        p.fill_parameters(model)
        earlier_training(p, model, 6, 3)
        observe_freeze(p, "", FREEZE, freeze, model)
        output = p.call("frozen_gradients", FROZEN_CALL, model, p.randn("x", BATCH, 6))
        p.backward("frozen_gradients", FROZEN_CALL, output, dict(model.named_parameters()))

    with p.section():
        model = public_model()
        p.fill_parameters(model)
        earlier_training(p, model, 6, 3)
        model.backbone.requires_grad_(False)  # frozen by us, gradients from the first stage left in place
        p.record("initial", named_tensors(model))
        called = f"make_optimizer(model, lr={LR})"
        optimizer = observe_optimizer(p, "optimizer", called, make_optimizer, model, LR)
        p.call(
            "optimizer_steps",
            _("{steps} steps with your optimizer: zero_grad(set_to_none=False), backward(), step()").format(
                steps=PUBLIC_STEPS
            ),
            run_steps,
            model,
            optimizer,
            p.batches("optimizer", PUBLIC_STEPS, BATCH, 6, 3),
        )
        p.record("optimizer_steps", PUBLIC_STEPS)
        p.record("optimizer_trained", named_tensors(model))

    with p.section():
        model = public_model()
        p.fill_parameters(model)
        earlier_training(p, model, 6, 3)
        batches = p.batches("train", PUBLIC_STEPS, BATCH, 6, 3)
        observe_fine_tune(p, "fine_tune", f"fine_tune(model, batches, lr={LR})", fine_tune, model, batches, LR)

    if p.hidden:
        features, width = p.randint("hidden/features", 3, 7, secret=True), p.randint("hidden/width", 3, 6, secret=True)
        hidden, classes = p.randint("hidden/head", 3, 6, secret=True), p.randint("hidden/classes", 4, 6, secret=True)
        lr = p.randint("hidden/lr", 1, 4, secret=True) / 50  # never the public 0.1

        def hidden_model(name: str) -> Net:
            model = Net(varied(p, name, features, width), mlp((width, hidden, classes), nn.Tanh))
            p.fill_parameters(model.head, f"{name}/head", secret=True)
            earlier_training(p, model, features, classes, secret=True)
            return model

        with p.section():
            model = hidden_model("hidden/freeze")
            p.record("hidden_kinds", backbone_kinds(model))
            observe_freeze(p, "hidden_", HIDDEN_FREEZE, freeze, model)
        with p.section():
            model.requires_grad_(True)
            model.backbone.requires_grad_(False)
            model.head[0].requires_grad_(False)  # the caller froze the head's first layer too
            observe_optimizer(p, "hidden_optimizer", HIDDEN_OPTIMIZER, make_optimizer, model, lr)
        with p.section():
            model = hidden_model("hidden/fine-tune")
            p.record("hidden_fine_tune_kinds", backbone_kinds(model))
            batches = p.batches("hidden/train", HIDDEN_STEPS, BATCH, features, classes, secret=True)
            observe_fine_tune(p, "hidden_fine_tune", HIDDEN_FINE_TUNE, fine_tune, model, batches, lr)


# -- the checks ---------------------------------------------------------------------------------


def frozen_names(reference: Mapping[str, Any]) -> list[str]:
    return [name for name in reference if name.startswith(FROZEN)]


def judge_freeze(
    called: str | Phrase, s: Observations, r: Observations, prefix: str, kinds: Any = None
) -> Verdict | None:
    """What the flags after freeze show, or None if every backbone parameter is frozen and only those."""
    yours, reference = s[f"{prefix}frozen_flags"], r[f"{prefix}frozen_flags"]
    backbone = frozen_names(reference)
    still = [name for name in backbone if yours.get(name) is not False]
    if still:
        if s.get(f"{prefix}module_attribute") == [False]:
            hint = _(
                "You set `requires_grad = False` on the module object. nn.Module has no such setting: that line "
                "creates a new, unused attribute and freezes nothing. Set it on every parameter of the module."
            )
        elif "backbone" in (s.get(f"{prefix}modes") or []):
            hint = _(
                "You switched the backbone to eval mode. eval() only changes how dropout and batch norm behave; it "
                "does not stop gradients. Set requires_grad=False on every parameter of the module."
            )
        else:
            hint = _(
                "`module.parameters()` yields every parameter the module holds, however deep, whatever its layer "
                "and name, and whether or not it holds a gradient."
            )
        return fail(
            _(
                "Called {called}: these backbone parameters still have requires_grad=True: {parts}; the reference "
                "freezes them all."
            ).format(called=called, parts=named_parts(still, kinds)),
            hint,
        )
    wrongly = [name for name, flag in reference.items() if flag and yours.get(name) is not True]
    if wrongly:
        return fail(
            _("Called {called}: {names} no longer require grad; the reference leaves the head trainable.").format(
                called=called, names=listed(wrongly, 4) if kinds is None else _("head parameters")
            ),
            _("freeze(module) changes only the parameters of the module it is given."),
        )
    return None


def kept_gradients(yours: Mapping[str, Any], reference: Mapping[str, Any]) -> list[str]:
    """The backbone parameters that still hold a gradient after freeze."""
    return [name for name in frozen_names(reference) if yours.get(name, "missing") is not None]


@exercise.check(points=2, concept="autograd", needs=("freeze", "frozen_flags", "frozen_gradients"))
def freeze_flags(s: Observations, r: Observations) -> Verdict:
    """freeze(model.backbone) freezes every backbone parameter and only those: backward() reaches the head alone"""
    verdict = judge_freeze(FREEZE, s, r, "")
    if verdict is not None:
        return verdict
    verdict = compare_gradients(FROZEN_CALL, s["frozen_gradients"], r["frozen_gradients"])
    if not verdict.passed:
        return verdict
    return ok(
        _("Called {called}: every backbone parameter is frozen, and backward() reaches the head alone.").format(
            called=FREEZE
        )
    )


@exercise.check(points=1, concept="autograd", needs=("freeze", "frozen_grads"))
def freeze_drops_grads(s: Observations, r: Observations) -> Verdict:
    """freeze drops the gradients the frozen parameters still held from earlier training"""
    yours = s["frozen_grads"]
    kept = kept_gradients(yours, r["frozen_grads"])
    if kept:
        zeros = all(is_tensor(yours.get(n)) and not bool(yours[n].any()) for n in kept)
        what = _("a tensor of zeros") if zeros else _("the gradient from earlier training")
        return fail(
            _(
                "The model arrived with a gradient in every parameter. After {called}, {kept} backbone parameters "
                "still hold {what} ({names}); the reference sets them to None."
            ).format(called=FREEZE, kept=count(len(kept)), what=what, names=listed(kept, 4)),
            _(
                "requires_grad=False stops new gradients but keeps the stored one, and an optimizer that holds the "
                "parameter still steps with it (zero-filled, weight decay and momentum still move the weight). Drop "
                "the gradient in freeze."
            ),
        )
    return ok(_("Called {called}: the backbone's old gradients are dropped.").format(called=FREEZE))


MODE_HINT = N_(
    "Freezing is requires_grad alone. eval() changes how BatchNorm and dropout compute: a frozen backbone with "
    "BatchNorm then computes something else, in training too."
)


@exercise.check(points=1, concept="evaluation", needs=("freeze", "modes"))
def freeze_keeps_mode(s: Observations, r: Observations) -> Verdict:
    """freeze leaves the module in training mode, as it found it"""
    return compare_modes(FREEZE, s["modes"], r["modes"], _(MODE_HINT))


def judge_holdings(
    called: str | Phrase, s: Observations, r: Observations, key: str, hidden: bool = False, effect: str = ""
) -> Verdict | None:
    """Which parameters the optimizer holds against the reference's, or None if the same ones, each once.
    ``effect``: what holding frozen parameters was seen to do, told after that finding."""
    held = [name for group in s[f"{key}_groups"] for name in group["params"]]
    expected = [name for group in r[f"{key}_groups"] for name in group["params"]]
    frozen = [name for name in held if name not in expected]
    missing = [name for name in expected if name not in held]
    if frozen:
        which = (
            _("parameters that do not require grad (of the frozen backbone, or of the head layer the caller froze)")
            if hidden
            else _("{count} frozen parameters ({names})").format(count=count(len(frozen)), names=listed(frozen, 4))
        )
        return fail(
            _(
                "Called {called}: your optimizer holds {which}; the reference's holds only those that require "
                "grad.{effect}"
            ).format(called=called, which=which, effect=effect),
            _(
                "Give the optimizer the parameters whose requires_grad is True, found by asking each of the model's "
                "parameters, not by naming a part of the model."
            ),
        )
    if missing:
        which = _("some") if hidden else listed(missing, 4)
        return fail(
            _(
                "Called {called}: your optimizer leaves out {which} of the parameters that require grad; the "
                "reference's holds them all."
            ).format(called=called, which=which),
            _("Give it every parameter that requires grad."),
        )
    if len(held) != len(set(held)):
        return fail(
            _("Called {called}: your optimizer holds some parameters more than once.").format(called=called),
            _("Give it every parameter that requires grad, each once."),
        )
    return None


@exercise.check(
    points=2, concept="autograd", needs=("optimizer", "optimizer_groups", "optimizer_steps", "optimizer_trained")
)
def optimizer_params(s: Observations, r: Observations) -> Verdict:
    """make_optimizer holds only the parameters that require grad, and the frozen backbone does not move"""
    called = _("{called} with model.backbone frozen, old gradients left in it").format(
        called=f"make_optimizer(model, lr={LR})"
    )
    moved = moved_backbone(s["optimizer_trained"], r["initial"])
    effect = (
        _(
            " After {steps} steps with zero_grad(set_to_none=False) these frozen parameters changed: {names}. Their "
            "old gradients were zero-filled, not dropped, and weight decay and momentum moved them."
        ).format(steps=PUBLIC_STEPS, names=listed(moved, 4))
        if moved
        else ""
    )
    verdict = judge_holdings(called, s, r, "optimizer", effect=effect)
    if verdict is not None:
        return verdict
    if moved:
        return fail(
            _("Called {called}, then {steps} steps: these frozen parameters changed: {names}.").format(
                called=called, steps=PUBLIC_STEPS, names=listed(moved, 4)
            )
        )
    return ok(_("Called {called}: your optimizer holds exactly the head's parameters.").format(called=called))


SETTINGS = ("lr", "momentum", "weight_decay", "dampening", "nesterov")


def judge_settings(
    called: str | Phrase, s: Observations, r: Observations, key: str, hidden: bool = False
) -> Verdict | None:
    """The optimizer's type and every group's settings against the reference's, or None if they agree."""
    if s[key] != r[key]:
        return fail(
            _("Called {called}: it returned {yours}; the reference returns {reference}.").format(
                called=called, yours=s[key], reference=r[key]
            ),
            _("Return a torch.optim.SGD."),
        )
    expected = {setting: r[f"{key}_groups"][0][setting] for setting in SETTINGS}
    for group in s[f"{key}_groups"]:
        yours = {setting: group[setting] for setting in SETTINGS}
        differ = [setting for setting in SETTINGS if yours[setting] != expected[setting]]
        if differ:
            shown = (
                listed(differ, None, quote="")
                if hidden
                else ", ".join(
                    _("{setting}={yours!r} (the reference's: {reference!r})").format(
                        setting=setting, yours=yours[setting], reference=expected[setting]
                    )
                    for setting in differ
                )
            )
            return fail(
                _("Called {called}: your SGD differs from the reference's in {settings}.").format(
                    called=called, settings=shown
                ),
                _("Use the lr you were given, momentum 0.9 and weight decay 1e-2."),
            )
    return None


@exercise.check(points=1, concept="autograd", needs=("optimizer", "optimizer_groups"))
def optimizer_settings(s: Observations, r: Observations) -> Verdict:
    """make_optimizer returns SGD with the given lr, momentum 0.9 and weight decay 1e-2"""
    called = f"make_optimizer(model, lr={LR})"
    return judge_settings(called, s, r, "optimizer") or ok(
        _("Called {called}: SGD with the given lr, momentum 0.9 and weight decay 1e-2.").format(called=called)
    )


def moved_backbone(tuned: Any, initial: Mapping[str, torch.Tensor]) -> list[str]:
    """The backbone parameters that are not bit for bit what they were before training."""
    tuned = tuned if is_mapping(tuned) else {}
    return [name for name in frozen_names(initial) if not identical(tuned.get(name), initial[name])]


def backbone_problem(
    called: str | Phrase, s: Observations, r: Observations, key: str, kinds: Any = None
) -> Verdict | None:
    """What fine_tune did to the backbone (moved it, or left it trainable), or None."""
    tuned, flags, initial = s[f"{key}_tuned"], s[f"{key}_flags"], r[f"{key}_initial"]
    if not is_mapping(tuned) or not is_mapping(flags):
        return fail(_("Called {called}: we could not read your model's parameters afterwards.").format(called=called))
    names = frozen_names(initial)
    moved = moved_backbone(tuned, initial)
    if moved:
        return fail(
            _(
                "Called {called} (the model held gradients from earlier training): these backbone parameters "
                "changed: {parts}; the reference leaves the backbone bit for bit as it was."
            ).format(called=called, parts=named_parts(moved, kinds)),
            _(
                "Freeze every parameter of the backbone, however deep it sits (requires_grad=False, old gradients "
                "dropped), and give the optimizer only the parameters that still require grad."
            ),
        )
    unfrozen = [n for n in names if flags.get(n) is not False]
    if unfrozen:
        return fail(
            _(
                "Called {called}: the backbone did not change, but these of its parameters still have "
                "requires_grad=True afterwards: {parts}; the reference's are frozen."
            ).format(called=called, parts=named_parts(unfrozen, kinds)),
            _(
                "fine_tune must freeze the backbone with your freeze, and freeze must set requires_grad=False on "
                "every parameter: backward() otherwise still computes (and stores) their gradients."
            ),
        )
    return None


@exercise.check(points=2, concept="autograd", needs=("fine_tune", "fine_tune_tuned", "fine_tune_flags"))
def fine_tune_backbone(s: Observations, r: Observations) -> Verdict:
    """fine_tune leaves every backbone parameter frozen and bit for bit unchanged"""
    called = f"fine_tune(model, batches, lr={LR})"
    return backbone_problem(called, s, r, "fine_tune") or ok(
        _("Called {called}: the backbone stayed frozen and bit for bit unchanged.").format(called=called)
    )


def later_steps(s: Observations, r: Observations, key: str, optimizer: str) -> str | None:
    """Why later losses differ when the first matches, as far as the observations show: the optimizer's
    settings (``optimizer``: the key its groups were recorded under), or the gradients fine_tune left."""
    settings = [{k: g.get(k) for k in SETTINGS} for g in s.get(f"{optimizer}_groups") or []]
    if settings and settings != [{k: g.get(k) for k in SETTINGS} for g in r[f"{optimizer}_groups"]]:
        return _("Your make_optimizer's SGD has other settings than the reference's (see its check).")
    head_grads = s.get(f"{key}_head_grads")
    if is_mapping(head_grads) and not holding_gradients(head_grads) and holding_gradients(r[f"{key}_head_grads"]):
        return _(
            "After fine_tune your head holds no gradient; the reference's holds the last batch's, because it zeroes "
            "the gradients before each backward(). Zeroing after each step instead leaves the old gradients the "
            "model arrived with in place for the first step."
        )
    return None


def judge_training(
    called: str | Phrase, s: Observations, r: Observations, key: str, optimizer: str, hidden: bool = False
) -> Verdict:
    """fine_tune's losses and the head it trained against the reference's."""
    yours, reference = s[f"{key}_losses"], r[f"{key}_losses"]
    odd = [loss for loss in yours if type(loss) is not float] if isinstance(yours, list) else [yours]
    if odd:
        what = _("a list holding {item}").format(item=describe(odd[0])) if isinstance(yours, list) else describe(yours)
        return fail(
            _("Called {called}: it returned {what}; the reference returns a list of {count} floats.").format(
                called=called, what=what, count=len(reference)
            ),
            _("Keep each batch's loss as a Python float (`.item()`) and return the list."),
        )
    if len(yours) != len(reference):
        return fail(
            _("Called {called}: it returned {yours} losses; the reference returns one per batch, {reference}.").format(
                called=called, yours=len(yours), reference=len(reference)
            )
        )
    yours_t, reference_t = torch.tensor(yours, dtype=torch.float64), torch.tensor(reference, dtype=torch.float64)
    if s.get(f"{key}_modes") != r[f"{key}_modes"]:
        hint = _(
            "After fine_tune part of your model is in eval mode; the reference's stays in training mode. A "
            "BatchNorm in eval mode normalises with its running statistics instead of the batch's, so the model "
            "computes something else (see the check on freeze's mode)."
        )
    elif not values_match(yours_t[:1], reference_t[:1]):
        hint = _("The first loss is computed before any step: the cross-entropy of model(x) against the labels y.")
    elif moved_backbone(s[f"{key}_tuned"], r[f"{key}_initial"]):
        hint = _("Your backbone changed during training (see the check on the backbone), and the losses with it.")
    else:
        hint = later_steps(s, r, key, optimizer)
    verdict = compare_values(
        _("{called}, the losses it returned").format(called=called), yours_t, reference_t, hint, hidden=hidden
    )
    if not verdict.passed:
        return verdict

    def head(tensors: Any) -> Any:
        return {n: t for n, t in tensors.items() if not n.startswith(FROZEN)} if is_mapping(tensors) else tensors

    verdict = compare_named(called, head(s[f"{key}_tuned"]), head(r[f"{key}_tuned"]), hidden=hidden)
    if not verdict.passed:
        return verdict
    return ok(_("Called {called}: the head trained exactly like the reference's.").format(called=called))


@exercise.check(points=2, concept="autograd", needs=("fine_tune", "fine_tune_losses", "fine_tune_tuned"))
def fine_tune_head(s: Observations, r: Observations) -> Verdict:
    """fine_tune trains the head like the reference and returns the losses as floats"""
    called = _("{called} with {count} batches").format(called=f"fine_tune(model, batches, lr={LR})", count=PUBLIC_STEPS)
    return judge_training(called, s, r, "fine_tune", "optimizer")


@exercise.check(
    points=1, concept="autograd", needs=("hidden_freeze", "hidden_frozen_flags", "hidden_modes"), hidden=True
)
def hidden_freeze(s: Observations, r: Observations) -> Verdict:
    """freeze freezes a hidden backbone of every structure, drops its gradients and keeps its mode"""
    kinds = r["hidden_kinds"]
    verdict = judge_freeze(HIDDEN_FREEZE, s, r, "hidden_", kinds)
    if verdict is not None:
        return verdict
    kept = kept_gradients(s["hidden_frozen_grads"], r["hidden_frozen_grads"])
    if kept:
        return fail(
            _(
                "Called {called}: these backbone parameters still hold a gradient: {parts}; the reference drops "
                "them all."
            ).format(called=HIDDEN_FREEZE, parts=named_parts(kept, kinds)),
            _("Drop the stored gradient of every parameter you freeze."),
        )
    verdict = compare_modes(HIDDEN_FREEZE, s["hidden_modes"], r["hidden_modes"], _(MODE_HINT), hidden=True)
    if not verdict.passed:
        return verdict
    return ok(
        _("Called {called}: every backbone parameter is frozen, its gradient dropped.").format(called=HIDDEN_FREEZE)
    )


@exercise.check(points=1, concept="autograd", needs=("hidden_optimizer", "hidden_optimizer_groups"), hidden=True)
def hidden_optimizer(s: Observations, r: Observations) -> Verdict:
    """make_optimizer on a hidden model whose head is partly frozen holds exactly the parameters that require grad"""
    verdict = judge_holdings(HIDDEN_OPTIMIZER, s, r, "hidden_optimizer", hidden=True)
    verdict = verdict or judge_settings(HIDDEN_OPTIMIZER, s, r, "hidden_optimizer", hidden=True)
    return verdict or ok(
        _("Called {called}: your optimizer holds exactly the parameters that require grad.").format(
            called=HIDDEN_OPTIMIZER
        )
    )


@exercise.check(
    points=2,
    concept="autograd",
    needs=("hidden_fine_tune", "hidden_fine_tune_losses", "hidden_fine_tune_tuned", "hidden_fine_tune_flags"),
    hidden=True,
)
def hidden_fine_tune(s: Observations, r: Observations) -> Verdict:
    """fine_tune on a hidden model of every structure, with other classes and another lr, matches the reference"""
    verdict = backbone_problem(HIDDEN_FINE_TUNE, s, r, "hidden_fine_tune", r["hidden_fine_tune_kinds"])
    return verdict or judge_training(HIDDEN_FINE_TUNE, s, r, "hidden_fine_tune", "hidden_optimizer", hidden=True)


exercise.claims = (
    Claim("The models you get have two submodules", ("hidden_freeze", "hidden_fine_tune")),
    Claim(
        "make every parameter of ``module`` stop learning: set its ``requires_grad`` to False",
        ("freeze_flags", "hidden_freeze"),
    ),
    Claim("and drop any gradient it still holds (``p.grad = None``)", ("freeze_drops_grads", "hidden_freeze")),
    Claim("Nothing else changes: the module stays in the mode", ("freeze_keeps_mode", "hidden_freeze")),
    Claim(
        "a ``torch.optim.SGD`` with the given ``lr``, ``momentum=0.9`` and ``weight_decay=1e-2``",
        ("optimizer_settings", "hidden_optimizer"),
    ),
    Claim("over **only the parameters of model that require grad**", ("optimizer_params", "hidden_optimizer")),
    Claim("``fine_tune(model, batches, lr)``: freeze ``model.backbone``", ("fine_tune_backbone", "fine_tune_head")),
    Claim("Returns the losses, as Python floats, in order.", ("fine_tune_head", "hidden_fine_tune")),
    Claim("``fine_tune`` must not let them move the backbone", ("fine_tune_backbone", "hidden_fine_tune")),
    Claim(">>> class Net(nn.Module):", ("freeze_flags", "optimizer_params")),
    Claim("``module.requires_grad = False`` freezes **nothing**.", ("freeze_flags",)),
    Claim("Freeze the parameters: ``module.requires_grad_(False)``", ("freeze_flags", "hidden_freeze")),
    Claim("``module.eval()`` does not freeze anything either", ("freeze_flags", "freeze_keeps_mode")),
    Claim("A gradient already stored in ``p.grad`` stays there", ("freeze_drops_grads", "optimizer_params")),
    Claim("Give the optimizer only the trainable parameters", ("optimizer_params", "freeze_drops_grads")),
    Claim(
        "Every parameter of module: requires_grad False and no stored gradient.", ("freeze_flags", "freeze_drops_grads")
    ),
    Claim("SGD(lr, momentum=0.9, weight_decay=1e-2) over the parameters", ("optimizer_settings", "optimizer_params")),
    Claim("Freeze model.backbone and train the rest with cross-entropy", ("fine_tune_backbone", "fine_tune_head")),
)
exercise.prose = (
    "Exercise 09",
    "Fine-tuning often keeps most of a trained network fixed",
    "A parameter is frozen when its ``requires_grad`` is False",
    "Write three functions",
    "What the lecture gets wrong or leaves loose:",
    "nn.Module has no ``requires_grad`` setting",
    "The lecture suggests ``requires_grad=False`` for validation.",
    "For validation use ``model.eval()``",
    "``requires_grad=False`` only stops *new* gradients.",
)
