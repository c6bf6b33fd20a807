"""ex09 — freeze a backbone and optimise only the head: requires_grad flags, stale gradients, param groups."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from graders.checks import (
    compare_named,
    compare_values,
    describe,
    identical,
    is_mapping,
    is_tensor,
    listed,
    values_match,
)
from graders.probe import Probe, mlp, named_tensors, type_name
from graders.spec import Exercise, Hint, Observations, Verdict, fail, ok

exercise = Exercise(
    id="ex09_freeze",
    preload=("torch._dynamo",),  # the probe trains with torch.optim
    title="Freeze a backbone, train only the head",
    hints=(
        Hint(
            "Freezing is a property of each parameter, not of the module: loop over `module.parameters()` and "
            "set `p.requires_grad = False` (or call `module.requires_grad_(False)`, with the underscore). "
            "`module.requires_grad = False` only creates an unused attribute.",
            checks=("freeze_flags", "fine_tune_backbone"),
        ),
        Hint(
            "A frozen parameter may still hold a gradient from earlier training. Drop it in freeze "
            "(`p.grad = None`), and give the optimizer only `[p for p in model.parameters() if p.requires_grad]`: "
            "an optimizer that holds a frozen weight still moves it through weight decay and momentum.",
            checks=("freeze_drops_grads", "optimizer_params", "fine_tune_backbone"),
        ),
        Hint(
            "In fine_tune: freeze(model.backbone), then make_optimizer(model, lr), then for each batch "
            "`optimizer.zero_grad()`, `loss = F.cross_entropy(model(x), y)`, `loss.backward()`, `optimizer.step()`, "
            "and keep `loss.item()`.",
            checks=("fine_tune_head", "optimizer_settings"),
        ),
    ),
    error_hints={
        "optimizer got an empty parameter list": (
            "No parameter of the model requires grad any more: freeze only model.backbone, and build the "
            "optimizer from the parameters that still require grad (the head's)."
        ),
        "element 0 of tensors does not require grad": (
            "Nothing in the model requires grad any more, so backward() has nothing to do: freeze only the "
            "backbone, not the head."
        ),
    },
)


LR = 0.1
BATCH = 6
PUBLIC_STEPS = 3
HIDDEN_STEPS = 4
MOMENTUM, WEIGHT_DECAY = 0.9, 1e-2
FROZEN = "backbone."


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


def requires_grad(model: nn.Module) -> dict[str, bool]:
    return {name: bool(t.requires_grad) for name, t in model.named_parameters()}


def grads(model: nn.Module) -> dict[str, torch.Tensor | None]:
    return {name: t.grad for name, t in model.named_parameters()}


def param_groups(optimizer: Any, names: Mapping[int, str]) -> list[dict[str, Any]]:
    """The optimizer's groups as data: which of the model's parameters each holds, and its settings."""
    groups = []
    for group in optimizer.param_groups:
        groups.append(
            {
                "params": [names.get(id(t), "a tensor that is not a parameter of the model") for t in group["params"]],
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


@exercise.probe
def probe(p: Probe) -> None:
    freeze = p.require("freeze")
    make_optimizer = p.require("make_optimizer")
    fine_tune = p.require("fine_tune")

    with p.section():
        model = public_model()
        p.fill_parameters(model)
        earlier_training(p, model, 6, 3)
        p.observe("freeze", "freeze(model.backbone)", freeze, model.backbone)
        p.record("frozen_flags", requires_grad(model))
        p.record("frozen_grads", grads(model))
        attributes = vars(model.backbone)
        p.record("module_attribute", [attributes["requires_grad"]] if "requires_grad" in attributes else [])
        p.record("backbone_training", model.backbone.training)

    with p.section():
        model = public_model()
        p.fill_parameters(model)
        earlier_training(p, model, 6, 3)
        model.backbone.requires_grad_(False)  # frozen by us, gradients from the first stage left in place
        optimizer = p.call("optimizer", f"make_optimizer(model, lr={LR})", make_optimizer, model, LR)
        p.record("optimizer", type_name(optimizer))
        names = {id(t): name for name, t in model.named_parameters()}
        p.observe("groups", "reading your optimizer's param_groups", param_groups, optimizer, names)
        p.call(
            "optimizer_steps",
            f"{PUBLIC_STEPS} steps with your optimizer: zero_grad(set_to_none=False), backward(), step()",
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
        p.record("initial", named_tensors(model))
        batches = p.batches("train", PUBLIC_STEPS, BATCH, 6, 3)
        losses = p.call("fine_tune", f"fine_tune(model, batches, lr={LR})", fine_tune, model, batches, LR)
        p.record("fine_tune", type_name(losses))
        p.record("tuned", named_tensors(model))
        p.record("tuned_flags", requires_grad(model))
        p.observe("losses", "reading the losses fine_tune returned", list, losses)

    if p.hidden:
        hidden_probe(p, fine_tune)


def hidden_probe(p: Probe, fine_tune: Callable[..., Any]) -> None:
    depth = p.randint("hidden/depth", 2, 3, secret=True)
    sizes = tuple(p.randint(f"hidden/size{i}", 3, 7, secret=True) for i in range(depth + 1))
    hidden, classes = p.randint("hidden/head", 3, 6, secret=True), p.randint("hidden/classes", 2, 5, secret=True)
    lr = p.randint("hidden/lr", 1, 6, secret=True) / 20
    with p.section():
        model = Net(mlp(sizes, activate_last=True), mlp((sizes[-1], hidden, classes)))
        p.fill_parameters(model, "hidden-weights", secret=True)
        earlier_training(p, model, sizes[0], classes, secret=True)
        p.record("hidden_initial", named_tensors(model))
        batches = p.batches("hidden/train", HIDDEN_STEPS, BATCH, sizes[0], classes, secret=True)
        losses = p.call(
            "hidden_fine_tune", "fine_tune(model, batches, lr) on a hidden model", fine_tune, model, batches, lr
        )
        p.record("hidden_fine_tune", type_name(losses))
        p.record("hidden_tuned", named_tensors(model))
        p.record("hidden_tuned_flags", requires_grad(model))
        p.observe("hidden_losses", "reading the losses fine_tune returned", list, losses)


# -- the checks ---------------------------------------------------------------------------------


def frozen_names(reference: Mapping[str, Any]) -> list[str]:
    return [name for name in reference if name.startswith(FROZEN)]


@exercise.check(points=2, concept="autograd", needs=("freeze", "frozen_flags"))
def freeze_flags(s: Observations, r: Observations) -> Verdict:
    """freeze(model.backbone) sets requires_grad=False on every backbone parameter, and only there"""
    yours, reference = s["frozen_flags"], r["frozen_flags"]
    still = [name for name in frozen_names(reference) if yours.get(name) is not False]
    wrongly = [name for name, flag in reference.items() if flag and yours.get(name) is not True]
    if still:
        if s.get("module_attribute") == [False]:
            hint = (
                "You set `requires_grad = False` on the module object. nn.Module has no such setting: that line "
                "creates a new, unused attribute and freezes nothing. Set it on every parameter "
                "(`for p in module.parameters(): p.requires_grad = False`) or call `module.requires_grad_(False)`."
            )
        elif s.get("backbone_training") is False:
            hint = (
                "You switched the backbone to eval mode. eval() only changes how dropout and batch norm behave; "
                "it does not stop gradients. Set `p.requires_grad = False` on every parameter of the module."
            )
        else:
            hint = "Set `p.requires_grad = False` for every p in `module.parameters()`, nested layers included."
        return fail(
            f"After freeze(model.backbone), {len(still)} of {len(frozen_names(reference))} backbone parameters "
            f"still have requires_grad=True ({listed(still, 4)}); the reference freezes them all.",
            hint,
        )
    if wrongly:
        return fail(
            f"After freeze(model.backbone), {listed(wrongly, 4)} no longer require grad; the reference leaves "
            "the head trainable.",
            "freeze(module) must change only the parameters of the module it is given.",
        )
    return ok("freeze(model.backbone) freezes every backbone parameter and leaves the head trainable.")


@exercise.check(points=1, concept="autograd", needs=("freeze", "frozen_grads"))
def freeze_drops_grads(s: Observations, r: Observations) -> Verdict:
    """freeze drops the gradients the frozen parameters still held from earlier training"""
    yours = s["frozen_grads"]
    kept = [name for name in frozen_names(r["frozen_grads"]) if yours.get(name, "missing") is not None]
    if kept:
        zeros = all(is_tensor(yours.get(n)) and not bool(yours[n].any()) for n in kept)
        what = "a tensor of zeros" if zeros else "the gradient from earlier training"
        return fail(
            f"The model arrived with a gradient in every parameter. After freeze(model.backbone), {len(kept)} "
            f"backbone parameters still hold {what} ({listed(kept, 4)}); the reference sets them to None.",
            "requires_grad=False stops new gradients but keeps the stored one, and an optimizer that holds the "
            "parameter still steps with it (zero-filled, weight decay and momentum still move the weight). "
            "Add `p.grad = None` in freeze.",
        )
    return ok("freeze(model.backbone) drops the backbone's old gradients.")


@exercise.check(points=2, concept="autograd", needs=("optimizer", "groups", "optimizer_steps", "optimizer_trained"))
def optimizer_params(s: Observations, r: Observations) -> Verdict:
    """make_optimizer holds only the trainable (head) parameters, and the frozen backbone does not move"""
    held = [name for group in s["groups"] for name in group["params"]]
    expected = [name for group in r["groups"] for name in group["params"]]
    called = f"make_optimizer(model, lr={LR}) with model.backbone frozen"
    moved = [
        name
        for name in frozen_names(r["initial"])
        if not identical(s["optimizer_trained"].get(name), r["initial"][name])
    ]
    frozen_held = [name for name in held if name.startswith(FROZEN)]
    if frozen_held or moved:
        effect = (
            f" After {PUBLIC_STEPS} steps with zero_grad(set_to_none=False), backbone parameters changed "
            f"({listed(moved, 4)}) although they are frozen: their old gradients were zero-filled instead of "
            "dropped, and weight decay and momentum moved them anyway."
            if moved
            else ""
        )
        return fail(
            f"Called {called}: your optimizer holds {len(frozen_held)} frozen backbone parameters "
            f"({listed(frozen_held, 4)}); the reference holds only {listed(expected, 4)}.{effect}",
            "Pass only the parameters that require grad: `[p for p in model.parameters() if p.requires_grad]`.",
        )
    if sorted(held) != sorted(expected):
        return fail(
            f"Called {called}: your optimizer holds {listed(held, 4, empty='no parameters')}; the reference's holds "
            f"{listed(expected, 4)}.",
            "Give it every parameter that requires grad, each once.",
        )
    return ok(f"Called {called}: your optimizer holds exactly the head's parameters; the backbone did not move.")


SETTINGS = ("lr", "momentum", "weight_decay", "dampening", "nesterov")


@exercise.check(points=1, concept="autograd", needs=("optimizer", "groups"))
def optimizer_settings(s: Observations, r: Observations) -> Verdict:
    """make_optimizer returns SGD with the given lr, momentum 0.9 and weight decay 1e-2"""
    if s["optimizer"] != r["optimizer"]:
        return fail(
            f"make_optimizer(model, lr={LR}) returned a {s['optimizer']}; the reference returns a {r['optimizer']}.",
            "Return `torch.optim.SGD(params, lr=lr, momentum=0.9, weight_decay=1e-2)`.",
        )
    expected = {key: r["groups"][0][key] for key in SETTINGS}
    for group in s["groups"]:
        yours = {key: group[key] for key in SETTINGS}
        if yours != expected:
            diff = ", ".join(
                f"{key}={yours[key]!r} (the reference's: {expected[key]!r})"
                for key in SETTINGS
                if yours[key] != expected[key]
            )
            return fail(
                f"make_optimizer(model, lr={LR}) returned SGD with {diff}.",
                "Use the lr you were given, momentum=0.9 and weight_decay=1e-2.",
            )
    return ok("make_optimizer returns SGD with the given lr, momentum 0.9 and weight decay 1e-2.")


def moved_backbone(tuned: Any, initial: Mapping[str, torch.Tensor]) -> list[str]:
    """The backbone parameters that are not bit for bit what they were before training."""
    tuned = tuned if isinstance(tuned, dict) else {}
    return [name for name in frozen_names(initial) if not identical(tuned.get(name), initial[name])]


def backbone_problem(
    tuned: Any, flags: Any, initial: Mapping[str, torch.Tensor], called: str, hidden: bool = False
) -> Verdict | None:
    if not isinstance(tuned, dict) or not isinstance(flags, dict):
        return fail(f"Called {called}: we could not read your model's parameters afterwards.")
    names = frozen_names(initial)
    moved = moved_backbone(tuned, initial)
    if moved:
        which = "some" if hidden else f"{len(moved)} of {len(names)}"
        shown = "" if hidden else f" ({listed(moved, 4)})"
        return fail(
            f"Called {called} (the model held gradients from earlier training): {which} backbone parameters "
            f"changed{shown}; the reference leaves the backbone bit for bit as it was.",
            "Freeze every parameter of the backbone, however deep it is (requires_grad=False, old gradients "
            "dropped), and give the optimizer only the parameters that still require grad.",
        )
    unfrozen = [n for n in names if flags.get(n) is not False]
    if unfrozen:
        shown = "" if hidden else f" ({listed(unfrozen, 4)})"
        return fail(
            f"Called {called}: the backbone did not change, but some of its parameters still have "
            f"requires_grad=True afterwards{shown}; the reference's are frozen.",
            "fine_tune must call freeze(model.backbone), and freeze must set requires_grad=False on every "
            "parameter: backward() otherwise still computes (and stores) their gradients.",
        )
    return None


@exercise.check(points=2, concept="autograd", needs=("fine_tune", "tuned", "tuned_flags"))
def fine_tune_backbone(s: Observations, r: Observations) -> Verdict:
    """fine_tune leaves every backbone parameter frozen and bit for bit unchanged"""
    called = f"fine_tune(model, batches, lr={LR})"
    return backbone_problem(s["tuned"], s["tuned_flags"], r["initial"], called) or ok(
        f"Called {called}: the backbone stayed frozen and bit for bit unchanged."
    )


def compare_losses(
    called: str, s: Observations, r: Observations, key: str, moved: list[str], hidden: bool = False
) -> Verdict:
    yours, reference = s[key], r[key]
    if not isinstance(yours, list) or any(type(loss) is not float for loss in yours):
        what = (
            next((describe(loss) for loss in yours if type(loss) is not float), "") if isinstance(yours, list) else ""
        )
        return fail(
            f"Called {called}: it returned {describe(yours)}{' holding ' + what if what else ''}; "
            f"the reference returns a list of "
            f"{len(reference)} floats.",
            "Keep `loss.item()` for every batch and return the list.",
        )
    if len(yours) != len(reference):
        return fail(f"Called {called}: it returned {len(yours)} losses; the reference returns one per batch.")
    first = values_match(torch.tensor(yours[:1], dtype=torch.float64), torch.tensor(reference[:1], dtype=torch.float64))
    if not first:
        hint = "The first loss is computed before any step: `F.cross_entropy(model(x), y)` with the logits first."
    elif moved:
        hint = "Your backbone changed during training (see the check on the backbone), and the losses with it."
    else:
        hint = (
            "Your first loss matches and later ones do not, so your training steps differ from the reference's: "
            "zero the gradients before each backward() (the model arrives holding old ones), and use SGD with "
            "momentum 0.9 and weight decay 1e-2."
        )
    return compare_values(
        called + ", the losses it returned",
        torch.tensor(yours, dtype=torch.float64),
        torch.tensor(reference, dtype=torch.float64),
        hint,
        hidden=hidden,
    )


def compare_head(called: str, yours: Any, reference: Mapping[str, torch.Tensor], hidden: bool = False) -> Verdict:
    def head(tensors: Any) -> Any:
        return {n: t for n, t in tensors.items() if not n.startswith(FROZEN)} if is_mapping(tensors) else tensors

    verdict = compare_named(
        called,
        head(yours),
        head(reference),
        "The head trained differently from the reference's: zero the gradients before each backward() "
        "(the model arrives holding old ones) and step an SGD with the lr given, momentum 0.9 and weight decay 1e-2.",
        hidden=hidden,
    )
    return verdict if not verdict.passed else ok(f"Called {called}: the head trained exactly like the reference's.")


@exercise.check(points=2, concept="autograd", needs=("fine_tune", "losses", "tuned"))
def fine_tune_head(s: Observations, r: Observations) -> Verdict:
    """fine_tune trains the head like the reference and returns the losses as floats"""
    called = f"fine_tune(model, batches, lr={LR}) with {PUBLIC_STEPS} batches"
    verdict = compare_losses(called, s, r, "losses", moved_backbone(s["tuned"], r["initial"]))
    return compare_head(called, s["tuned"], r["tuned"]) if verdict.passed else verdict


@exercise.check(
    points=3,
    concept="autograd",
    needs=("hidden_fine_tune", "hidden_losses", "hidden_tuned", "hidden_tuned_flags"),
    hidden=True,
)
def hidden_fine_tune(s: Observations, r: Observations) -> Verdict:
    """fine_tune on a hidden model with a deeper backbone and a two-layer head matches the reference"""
    called = "fine_tune(model, batches, lr) on a hidden model with a deeper backbone and a two-layer head"
    for verdict in (
        backbone_problem(s["hidden_tuned"], s["hidden_tuned_flags"], r["hidden_initial"], called, hidden=True),
        compare_losses(
            called, s, r, "hidden_losses", moved_backbone(s["hidden_tuned"], r["hidden_initial"]), hidden=True
        ),
        compare_head(called, s["hidden_tuned"], r["hidden_tuned"], hidden=True),
    ):
        if verdict is not None and not verdict.passed:
            return verdict
    return ok(f"Called {called}: the backbone stayed frozen and the head trained like the reference's.")
