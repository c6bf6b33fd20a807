"""ex13 — predict in eval() under no_grad() and give the model back as it was found: dropout and
batch norm in evaluation mode, no graph, and every module's mode, the grad mode, the parameters'
flags and values as before, also when the model raises.

The probe's models note how each of their forward passes ran (each module's mode, the grad mode,
what the pass returned) through a plain function stored on them, which copy.deepcopy shares: a
predict that runs a copy of the model is seen as well as one that runs the model itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from graders.checks import compare_values, describe, differing, is_tensor, listed, values_match
from graders.i18n import N_, Phrase, _
from graders.probe import Probe, requires_grad_of, to_plain, type_name
from graders.spec import Claim, Exercise, Hint, Observations, Verdict, fail, ok

exercise = Exercise(
    id="ex13_evaluate",
    title=N_("Predicting in evaluation mode, without gradients"),
    hints=(
        Hint(
            N_(
                "Validation needs two switches, and they do different things: the model's evaluation mode (eval()) "
                "changes how dropout and batch norm compute, and torch.no_grad() stops autograd from building a graph. "
                "Have both on while you call the model the way its caller would, `model(x)`, which runs its hooks too."
            ),
            checks=("output_values", "no_graph", "state_unchanged", "output_hidden", "hooks_run"),
        ),
        Hint(
            N_(
                "Before you switch to evaluation mode, note every module's `training` flag (model.modules() visits "
                "them "
                "all, the model itself included), and afterwards set each module's own flag back to what you noted. "
                "One call of train() for the whole model gives every submodule the same mode, which is not always the "
                "mode it had."
            ),
            checks=("mode_restored", "eval_stays_eval", "nested_modes_restored"),
        ),
        Hint(
            N_(
                "Change nothing else: the torch.no_grad() context manager puts the grad mode back by itself when its "
                "block ends (also inside a caller's own no_grad block), and the parameters' requires_grad flags are "
                "not "
                "predict's to change."
            ),
            checks=("grad_state_unchanged", "nested_flags_unchanged", "caller_no_grad"),
        ),
        Hint(
            N_(
                "Code after the forward pass does not run when the model raises. Put the forward pass in the try part "
                "of a try/finally statement and the restoring in its finally part: that runs in every case, and the "
                "error still goes on to the caller."
            ),
            checks=("mode_restored_on_error",),
        ),
    ),
)

CALLED = "predict(model, x)"
PUBLIC_CALL = Phrase(N_("{called} with a model with batch norm and dropout, in training mode"), called=CALLED)
ERROR_CALL = Phrase(
    N_("{called} on a model in training mode, with an x of the wrong size so that the model raises"), called=CALLED
)
EVAL_CALL = Phrase(N_("{called} on a model in evaluation mode"), called=CALLED)
NESTED_CALL = Phrase(
    N_("{called} on a nested model that trains, with a frozen block in evaluation mode"), called=CALLED
)
CALLER_CALL = Phrase(N_("{called} inside the caller's torch.no_grad() block"), called=CALLED)
HIDDEN_CALL = Phrase(
    N_("{called} on another model (convolution, batch norm, dropout, a forward hook), for an x that requires grad"),
    called=CALLED,
)
STATISTICS = ("running_mean", "running_var", "num_batches_tracked")
MODE = {True: N_("training"), False: N_("evaluation")}


# ---- The probe's models: each forward pass is noted. ---------------------------------------------

Note = Callable[[nn.Module, Any], None]


def modes(model: nn.Module) -> dict[str, bool]:
    """Every module's own training flag, "model" for the root: more than ``probe.modules_in_eval_mode``
    tells, because predict's checks tell a root switched back alone, or one mode given back to every
    module, from the modes each module had."""
    return {name or "model": module.training for name, module in model.named_modules()}


def noting(passes: list[dict[str, Any]]) -> Note:
    """A function that notes, for each forward pass of a probe's model, what it ran under and what it returned."""

    def note(model: nn.Module, output: Any) -> None:
        passes.append(
            {
                "modes": modes(model),
                "grad_enabled": torch.is_grad_enabled(),
                "trainable": any(parameter.requires_grad for parameter in model.parameters()),
                "requires_grad": bool(is_tensor(output) and output.requires_grad),
                "output": to_plain(output),
            }
        )

    return note


class Noted(nn.Module):
    """A probe's model: ``compute`` is the layers' work; each forward pass is noted by ``note``."""

    def __init__(self, note: Note):
        super().__init__()
        self.note = note

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        output = self.compute(x)
        self.note(self, output)
        return output

    def compute(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError


class Net(Noted):
    """Linear, batch norm, ReLU, dropout, linear."""

    def __init__(self, note: Note, inputs: int = 6, hidden: int = 8, classes: int = 3):
        super().__init__(note)
        self.fc1 = nn.Linear(inputs, hidden)
        self.bn = nn.BatchNorm1d(hidden)
        self.drop = nn.Dropout(0.5)
        self.fc2 = nn.Linear(hidden, classes)

    def compute(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(self.drop(F.relu(self.bn(self.fc1(x)))))


class NestedNet(Noted):
    """A root without parameters of its own over a ModuleDict of Sequentials: an encoder (linear,
    batch norm, ReLU) and a head (dropout, linear)."""

    def __init__(self, note: Note, inputs: int, hidden: int, classes: int):
        super().__init__(note)
        self.blocks = nn.ModuleDict(
            {
                "encoder": nn.Sequential(nn.Linear(inputs, hidden), nn.BatchNorm1d(hidden), nn.ReLU()),
                "head": nn.Sequential(nn.Dropout(0.5), nn.Linear(hidden, classes)),
            }
        )

    def compute(self, x: torch.Tensor) -> torch.Tensor:
        return self.blocks["head"](self.blocks["encoder"](x))


class ConvNet(Noted):
    """Convolution, 2-D batch norm, 2-D dropout, pooling, linear."""

    def __init__(self, note: Note, channels: int, width: int, classes: int):
        super().__init__(note)
        self.conv = nn.Conv2d(channels, width, 3, padding=1)
        self.bn = nn.BatchNorm2d(width)
        self.drop = nn.Dropout2d(0.5)
        self.fc = nn.Linear(width, classes)

    def compute(self, x: torch.Tensor) -> torch.Tensor:
        x = self.drop(F.relu(self.bn(self.conv(x))))
        return self.fc(x.mean(dim=(2, 3)))


def centred(output: torch.Tensor) -> torch.Tensor:
    """What the hidden model's forward hook makes of its forward's output: each row centred."""
    return output - output.mean(dim=1, keepdim=True)


def centring(calls: list[int]) -> Callable[[nn.Module, Any, torch.Tensor], torch.Tensor]:
    """The forward hook that returns ``centred(output)``, counting its calls in ``calls``."""

    def hook(module: nn.Module, args: Any, output: torch.Tensor) -> torch.Tensor:
        calls.append(1)
        return centred(output)

    return hook


def prepared(p: Probe, model: nn.Module, name: str, secret: bool = False) -> nn.Module:
    """Named weights and plausible running statistics (a positive variance), every parameter
    trainable, in training mode."""
    p.fill_parameters(model, name, secret=secret)
    model.requires_grad_(True)
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, nn.modules.batchnorm._BatchNorm):
                module.running_var.abs_().add_(0.5)
    return model.train()


def with_frozen_encoder(model: NestedNet) -> NestedNet:
    """The encoder frozen and in evaluation mode inside a model that trains (exercise 14's set-up)."""
    model.blocks["encoder"].requires_grad_(False).eval()
    return model


def state(model: nn.Module) -> dict[str, Any]:
    """What predict must give back as it found it, but for the tensors' values (``model.state_dict()``)."""
    return {
        "modes": modes(model),
        "requires_grad": requires_grad_of(model),
        "grad_enabled": torch.is_grad_enabled(),
    }


def graph_of(output: Any) -> dict[str, Any] | None:
    if not isinstance(output, torch.Tensor):
        return None
    return {
        "requires_grad": bool(output.requires_grad),
        "grad_fn": type_name(output.grad_fn) if output.grad_fn else None,
    }


@exercise.probe
def probe(p: Probe) -> None:
    predict = p.require("predict")

    passes: list[dict[str, Any]] = []
    model = prepared(p, Net(noting(passes)), "weights")
    x = p.randn("x", 8, 6)
    with p.section():
        output = p.observe("output", CALLED, predict, model, x)
        p.record("output_graph", graph_of(output))
        p.record("after", state(model))
        p.record("after_tensors", model.state_dict())
        p.observe("output_again", _("{called} a second time, on the same x").format(called=CALLED), predict, model, x)
    p.record("passes", passes)
    torch.set_grad_enabled(True)

    passes = []
    model = prepared(p, Net(noting(passes)), "weights")
    with p.section():
        p.expect_error("error", ERROR_CALL, predict, model, p.randn("bad_x", 4, 5))
        p.record("after_error", state(model))
    torch.set_grad_enabled(True)

    if p.hidden:
        inputs, hidden, classes, batch, channels, side = (
            p.randint(f"hidden/{name}", low, high, secret=True)
            for name, low, high in (
                ("inputs", 3, 7),
                ("hidden", 4, 9),
                ("classes", 2, 5),
                ("batch", 3, 8),
                ("channels", 1, 3),
                ("side", 3, 7),
            )
        )
        x = p.randn("hidden/x", batch, 6, secret=True)  # for the public Net, with other weights

        weights = {
            name: tensor.clone() for name, tensor in prepared(p, model, "hidden-weights", True).state_dict().items()
        }
        model.eval()
        with p.section():
            p.observe("eval_output", EVAL_CALL, predict, model, x)
            p.record("eval_after", state(model))
        torch.set_grad_enabled(True)

        model.load_state_dict(weights)
        model.requires_grad_(True).train()
        passes.clear()
        with torch.no_grad(), p.section():
            p.observe("caller_output", CALLER_CALL, predict, model, x)
            p.record("caller_grad_enabled", torch.is_grad_enabled())
        p.record("caller_passes", passes)
        torch.set_grad_enabled(True)

        nested = NestedNet(noting([]), inputs, hidden, classes)
        model = with_frozen_encoder(prepared(p, nested, "hidden-nested", secret=True))
        with p.section():
            p.observe(
                "nested_output", NESTED_CALL, predict, model, p.randn("hidden/nested_x", batch, inputs, secret=True)
            )
            p.record("nested_after", state(model))
        torch.set_grad_enabled(True)

        passes, hooks = [], []
        model = prepared(p, ConvNet(noting(passes), channels, hidden, classes), "hidden-conv", secret=True)
        model.register_forward_hook(centring(hooks))
        images = p.randn("hidden/images", batch, channels, side, side, secret=True).requires_grad_()
        with p.section():
            output = p.observe("hidden_output", HIDDEN_CALL, predict, model, images)
            p.record("hidden_graph", graph_of(output))
        p.record("hidden_passes", passes)
        p.record("hidden_hooks", len(hooks))
        torch.set_grad_enabled(True)


# ---- Judging. ------------------------------------------------------------------------------------


def in_training(passes: list[dict[str, Any]]) -> list[str]:
    """The modules that were in training mode during some forward pass, in the model's order."""
    found: list[str] = []
    for seen in passes:
        found += [name for name, training in seen["modes"].items() if training and name not in found]
    return found


def model_output(
    passes: list[dict[str, Any]], reference: torch.Tensor, hook: Callable[[torch.Tensor], torch.Tensor]
) -> torch.Tensor | None:
    """What calling the model gave (a forward pass in evaluation mode, then ``hook``), when it is
    the reference's output."""
    for seen in passes:
        if not any(seen["modes"].values()) and is_tensor(seen["output"]):
            output = hook(seen["output"])
            if values_match(output, reference):
                return output
    return None


def unhooked(output: torch.Tensor) -> torch.Tensor:
    return output


def diagnose(
    passes: list[dict[str, Any]], hidden: bool, hooks: int | None = None, hook: Callable = unhooked
) -> Callable[[torch.Tensor, torch.Tensor], str]:
    """What the noted forward passes show about wrong values: no pass at all, modules in training
    mode, a hook that did not run (``hooks`` calls of the model's ``hook``), an output changed after
    the model returned it, or only that the model itself computed something else."""

    def diagnosis(yours: torch.Tensor, reference: torch.Tensor) -> str:
        if not passes:
            return _("Your predict never ran the model's forward pass: return what model(x) returns.")
        training = in_training(passes)
        if training and len(training) == len(passes[0]["modes"]):
            return _(
                "Your predict ran the model in training mode: dropout zeroed random activations and batch norm "
                "normalised with the batch's statistics. The model's evaluation mode, eval(), switches them."
            )
        if training:
            which = _("some of its modules") if hidden else listed(training, None, quote="")
            return _(
                "Your predict ran the model with {which} in training mode: eval() on the model switches every "
                "module, whatever its type."
            ).format(which=which)
        if hooks == 0:
            return _(
                "Your predict ran the model's forward, but not its forward hook: model.forward(x) skips the hooks "
                "that model(x) runs."
            )
        output = model_output(passes, reference, hook)
        if output is not None:
            softmax = torch.softmax(output.double(), dim=-1)
            if values_match(yours, softmax):
                return _(
                    "The model's own output, in evaluation mode, is the reference's, but your predict returned its "
                    "softmax: return the model's output itself, the logits."
                )
            return _(
                "The model's own output, in evaluation mode, is the reference's, but your predict changed it before "
                "returning it: return what model(x) returns."
            )
        return _(
            "Your predict ran the model in evaluation mode, yet the model computed another output than the "
            "reference's: the x it was given, or the model's weights, were not those predict received."
        )

    return diagnosis


@exercise.check(points=3, concept="evaluation", needs=("output", "output_again", "passes"))
def output_values(s: Observations, r: Observations) -> Verdict:
    """predict(model, x) gives the model's evaluation-mode output, the same on a second call"""
    verdict = compare_values(PUBLIC_CALL, s["output"], r["output"], diagnose(s["passes"], hidden=False))
    if not verdict.passed:
        return verdict
    if not values_match(s["output_again"], s["output"]):
        return fail(
            _(
                "Called {called} twice on the same x: the second call returned {what}, other than the first; the "
                "reference returns the same output both times."
            ).format(called=PUBLIC_CALL, what=describe(s["output_again"]))
        )
    return ok(
        _("Called {called}, twice: your output is the reference's evaluation-mode output both times.").format(
            called=PUBLIC_CALL
        )
    )


NO_GRAD_HINT = N_(
    "Run the forward pass inside a torch.no_grad() block (or torch.inference_mode()). The model's eval() alone "
    "does not turn gradients off: it only switches dropout and batch norm."
)
LECTURE_SLIP = N_(
    "Setting requires_grad=False on the parameters, as the lecture suggests, is not the way to validate: it "
    "freezes the model for training (exercise 09), leaves dropout and batch norm as they are, and an input that "
    "requires grad still builds a graph."
)


@exercise.check(points=2, concept="evaluation", needs=("output", "output_graph", "passes"))
def no_graph(s: Observations, r: Observations) -> Verdict:
    """predict runs the forward pass under torch.no_grad(): the output does not require grad and has no grad_fn"""
    graph, passes = s["output_graph"], s["passes"]
    frozen = any(seen["grad_enabled"] and not seen["trainable"] for seen in passes)
    hint = _(NO_GRAD_HINT) + (" " + _(LECTURE_SLIP) if frozen else "")
    if graph is None:
        return fail(
            _("Called {called}: it returned {what}, not a tensor, so there is no output to look at.").format(
                called=CALLED, what=describe(s["output"])
            )
        )
    if graph["requires_grad"] or graph["grad_fn"]:
        return fail(
            _(
                "Called {called}: your output requires grad (its grad_fn is {grad_fn}), so autograd recorded the "
                "whole computation; the reference's output does not require grad and has no grad_fn."
            ).format(called=PUBLIC_CALL, grad_fn=graph["grad_fn"]),
            hint,
        )
    enabled = [seen for seen in passes if seen["grad_enabled"]]
    if not enabled:
        return ok(
            _("Called {called}: the forward pass ran with gradients off; the output has no grad_fn.").format(
                called=CALLED
            )
        )
    if frozen:
        how = _("the parameters did not require grad while it ran, so nothing was recorded")
    elif any(seen["requires_grad"] for seen in enabled):
        how = _("the model's output required grad, so the graph was built, and you detached the result afterwards")
    else:
        how = _("its output did not require grad")
    return fail(
        _(
            "Called {called}: your output does not require grad, but the model's forward pass ran with gradients "
            "enabled ({how}); the reference runs it under torch.no_grad()."
        ).format(called=PUBLIC_CALL, how=how),
        hint,
    )


@exercise.check(points=1, concept="evaluation", needs=("output", "after_tensors", "passes"))
def state_unchanged(s: Observations, r: Observations) -> Verdict:
    """predict leaves every parameter and buffer as it was, batch norm's running statistics included"""
    yours, reference = s["after_tensors"], r["after_tensors"]
    changed = differing(yours, reference)
    if not changed:
        return ok(
            _(
                "Called {called}: every parameter and buffer, batch norm's running statistics included, is as it was."
            ).format(called=CALLED)
        )
    message = _(
        "Called {called}: afterwards your model's {names} had changed; the reference leaves them as they were."
    ).format(called=PUBLIC_CALL, names=listed(changed, None, quote=""))
    statistics = all(name.rsplit(".", 1)[-1] in STATISTICS for name in changed)
    owners = {name.rsplit(".", 1)[0] for name in changed}
    if statistics and owners <= set(in_training(s["passes"])):
        return fail(
            message,
            _(
                "Your predict ran batch norm in training mode, and in training mode batch norm updates its running "
                "statistics on every forward pass, so validating changed the model. The model's eval() stops that."
            ),
        )
    return fail(message)


Problem = tuple[str, str | None]


def mode_problem(
    called: str | Phrase, yours: dict[str, bool], reference: dict[str, bool], hidden: bool
) -> Problem | None:
    """What is wrong, and a hint, when the modes the student's predict left differ from the
    reference's (the modes as they were before the call), naming only what the modes show; else None."""
    if yours == reference:
        return None
    root, expected = yours.get("model"), reference.get("model")
    if root != expected:
        return (
            _(
                "Called {called}: afterwards model.training is {yours}; before the call it was {expected}, and the "
                "reference leaves it so."
            ).format(called=called, yours=root, expected=expected),
            _(
                "Note each module's mode before you switch to evaluation mode, and give each one back at the end: "
                "the caller gets the model in the mode it gave you."
            ),
        )
    wrong = [name for name, mode in reference.items() if yours.get(name) != mode]
    submodules = [name for name in reference if name != "model"]
    if len(set(reference.values())) > 1 and set(yours.values()) == {root}:
        before = _("some of them") if hidden else listed(wrong, None, quote="")
        return (
            _(
                "Called {called}: afterwards every module of your model is in {mode} mode; before the call {before} "
                "were in {other} mode, and the reference gives each module its mode back."
            ).format(called=called, mode=_(MODE[root]), before=before, other=_(MODE[not root])),
            _(
                "A module's train(mode) sets every module below it too, so one mode given back to the model, or to "
                "each of its children, loses the modes of the modules below that differed. Set each module's own "
                "flag back."
            ),
        )
    if root and submodules and all(yours.get(name) is False for name in submodules):
        which = _("its submodules") if hidden else listed(submodules, None, quote="")
        return (
            _(
                "Called {called}: afterwards model.training is True, but {which} are in evaluation mode; the "
                "reference gives them their modes back."
            ).format(called=called, which=which),
            _(
                "Assigning model.training changes the model's own flag only, and eval() had switched every "
                "submodule: set each module's flag back, not only the model's."
            ),
        )
    which = _("some of your model's modules") if hidden else listed(wrong, None, quote="")
    return (
        _(
            "Called {called}: afterwards {which} are not in the mode they were in before the call; the reference "
            "gives each module its mode back."
        ).format(called=called, which=which),
        None,
    )


@exercise.check(points=2, concept="evaluation", needs=("output", "after"))
def mode_restored(s: Observations, r: Observations) -> Verdict:
    """a model in training mode is back in training mode after predict, every submodule included"""
    problem = mode_problem(PUBLIC_CALL, s["after"]["modes"], r["after"]["modes"], hidden=False)
    if problem:
        return fail(*problem)
    return ok(
        _("Called {called}: afterwards the model and every submodule are back in training mode.").format(
            called=PUBLIC_CALL
        )
    )


def autograd_problem(
    called: str | Phrase, yours: dict[str, Any], reference: dict[str, Any], hidden: bool
) -> Problem | None:
    """What is wrong, and a hint, when the grad mode or a parameter's requires_grad is not as it was
    before the call; else None."""
    return grad_mode_problem(called, yours, reference) or flags_problem(called, yours, reference, hidden)


def grad_mode_problem(called: str | Phrase, yours: dict[str, Any], reference: dict[str, Any]) -> Problem | None:
    if yours["grad_enabled"] != reference["grad_enabled"]:
        return (
            _(
                "Called {called}: afterwards torch.is_grad_enabled() is {yours}; before the call it was {expected}, "
                "and the reference leaves it so."
            ).format(called=called, yours=yours["grad_enabled"], expected=reference["grad_enabled"]),
            _(
                "Your predict switched gradients for the whole program and did not put them back as they were. The "
                "torch.no_grad() context manager puts back the grad mode it found when its block ends."
            ),
        )
    return None


def flags_problem(
    called: str | Phrase, yours: dict[str, Any], reference: dict[str, Any], hidden: bool
) -> Problem | None:
    flags, expected = yours["requires_grad"], reference["requires_grad"]
    changed = [name for name, flag in expected.items() if flags.get(name) != flag]
    if not changed:
        return None
    frozen = [name for name in changed if expected[name]]
    if frozen:
        names = _("some parameters") if hidden else listed(frozen, None, quote="")
        return (
            _(
                "Called {called}: afterwards {names} have requires_grad=False; before the call they required grad, "
                "and the reference leaves them so."
            ).format(called=called, names=names),
            _(
                "The lecture suggests requires_grad=False for validation, but that freezes the model (exercise 09): "
                "it stays frozen after validation and stops learning. torch.no_grad() changes nothing on the model."
            ),
        )
    names = _("some parameters") if hidden else listed(changed, None, quote="")
    return (
        _(
            "Called {called}: afterwards {names} require grad; before the call they were frozen "
            "(requires_grad=False), and the reference leaves them frozen."
        ).format(called=called, names=names),
        _(
            "Your predict set requires_grad on parameters that were frozen before the call, so it unfroze them. "
            "predict has no need to touch requires_grad: torch.no_grad() is what switches gradients off."
        ),
    )


@exercise.check(points=1, concept="autograd", needs=("output", "after"))
def grad_state_unchanged(s: Observations, r: Observations) -> Verdict:
    """predict leaves autograd as it was: gradients enabled, every parameter as trainable as before"""
    problem = autograd_problem(PUBLIC_CALL, s["after"], r["after"], hidden=False)
    if problem:
        return fail(*problem)
    return ok(
        _("Called {called}: afterwards gradients are enabled and every parameter still requires grad.").format(
            called=CALLED
        )
    )


def given_back(called: str | Phrase, yours: dict[str, Any], reference: dict[str, Any]) -> Problem | None:
    """What is wrong with the modes, the grad mode and the flags predict left, if anything."""
    return mode_problem(called, yours["modes"], reference["modes"], hidden=False) or autograd_problem(
        called, yours, reference, hidden=False
    )


@exercise.check(points=1, concept="evaluation", needs=("output", "after", "error", "after_error"))
def mode_restored_on_error(s: Observations, r: Observations) -> Verdict:
    """when the model raises, its error reaches the caller and the model is given back as it was"""
    if s["error"]["raised"] is None:
        return fail(
            _(
                "Called {called}: your predict returned normally, so the caller never learns that the model "
                "raised; the reference lets the model's error reach the caller."
            ).format(called=ERROR_CALL),
            _(
                "Give the model back in the finally part of a try/finally statement, without an except part that "
                "swallows the error."
            ),
        )
    problem = given_back(ERROR_CALL, s["after_error"], r["after_error"])
    if problem is None:
        return ok(
            _("Called {called}: the error reached the caller, and the model was given back as it was.").format(
                called=ERROR_CALL
            )
        )
    if given_back(PUBLIC_CALL, s["after"], r["after"]) is None:
        return fail(
            problem[0],
            _(
                "When the model does not raise, your predict gives the model back as it was; when it raises, the "
                "lines after the forward pass never run. Put the restoring in the finally part of a try/finally "
                "statement, which runs in every case."
            ),
        )
    return fail(*problem)


@exercise.check(points=1, concept="evaluation", needs=("eval_output", "eval_after"), hidden=True)
def eval_stays_eval(s: Observations, r: Observations) -> Verdict:
    """a model already in evaluation mode is still in evaluation mode after predict"""
    yours, reference = s["eval_after"]["modes"], r["eval_after"]["modes"]
    problem = mode_problem(EVAL_CALL, yours, reference, hidden=True)
    if problem is None:
        return ok(_("Called {called}: the model stays in evaluation mode.").format(called=EVAL_CALL))
    if yours.get("model"):
        return fail(
            problem[0],
            _(
                "Your predict switched a model the caller had put in evaluation mode to training mode: train() at "
                "the end does that whatever the mode was before. Give back the mode each module had."
            ),
        )
    return fail(*problem)


@exercise.check(points=1, concept="tree", needs=("nested_output", "nested_after"), hidden=True)
def nested_modes_restored(s: Observations, r: Observations) -> Verdict:
    """in a nested model whose modules' modes differ, every module gets its own mode back"""
    problem = mode_problem(NESTED_CALL, s["nested_after"]["modes"], r["nested_after"]["modes"], hidden=True)
    if problem:
        return fail(*problem)
    return ok(_("Called {called}: afterwards every module is back in the mode it was in.").format(called=NESTED_CALL))


@exercise.check(points=1, concept="autograd", needs=("nested_output", "nested_after"), hidden=True)
def nested_flags_unchanged(s: Observations, r: Observations) -> Verdict:
    """in a nested model with a frozen block, every parameter stays as trainable, or as frozen, as it was"""
    problem = flags_problem(NESTED_CALL, s["nested_after"], r["nested_after"], hidden=True)
    if problem:
        return fail(*problem)
    return ok(
        _("Called {called}: afterwards every parameter is as trainable, or as frozen, as it was.").format(
            called=NESTED_CALL
        )
    )


@exercise.check(
    points=1, concept="autograd", needs=("caller_output", "caller_grad_enabled", "caller_passes"), hidden=True
)
def caller_no_grad(s: Observations, r: Observations) -> Verdict:
    """called inside the caller's torch.no_grad(), predict gives the same output and leaves gradients disabled"""
    if s["caller_grad_enabled"] != r["caller_grad_enabled"]:
        return fail(
            _(
                "Called {called}: when it returned, torch.is_grad_enabled() was True inside the caller's block, "
                "which had gradients disabled; the reference leaves them disabled."
            ).format(called=CALLER_CALL),
            _(
                "Your predict switched gradients on as it finished, whatever the grad mode was before the call. "
                "Give back the grad mode it found: the torch.no_grad() context manager does that by itself."
            ),
        )
    diagnosis = diagnose(s["caller_passes"], hidden=True)
    verdict = compare_values(CALLER_CALL, s["caller_output"], r["caller_output"], diagnosis, hidden=True)
    if not verdict.passed:
        return verdict
    return ok(
        _("Called {called}: the output is the reference's, and gradients stay disabled.").format(called=CALLER_CALL)
    )


@exercise.check(
    points=2,
    concept="evaluation",
    needs=("hidden_output", "hidden_graph", "hidden_passes", "hidden_hooks"),
    hidden=True,
)
def output_hidden(s: Observations, r: Observations) -> Verdict:
    """predict gives another model's evaluation-mode output, without a graph, for an x that requires grad"""
    diagnosis = diagnose(s["hidden_passes"], hidden=True, hooks=s["hidden_hooks"], hook=centred)
    verdict = compare_values(HIDDEN_CALL, s["hidden_output"], r["hidden_output"], diagnosis, hidden=True)
    if not verdict.passed:
        return verdict
    graph = s["hidden_graph"]
    if graph["requires_grad"] or graph["grad_fn"]:
        return fail(
            _(
                "Called {called}: your output requires grad, as x does, so autograd recorded the computation; the "
                "reference's output does not require grad."
            ).format(called=HIDDEN_CALL),
            _(NO_GRAD_HINT),
        )
    return ok(_("Called {called}: your output is the reference's, without a graph.").format(called=HIDDEN_CALL))


@exercise.check(points=1, concept="forward", needs=("hidden_output", "hidden_passes", "hidden_hooks"), hidden=True)
def hooks_run(s: Observations, r: Observations) -> Verdict:
    """predict calls the model as model(x), so the model's forward hooks run"""
    if s["hidden_hooks"]:
        return ok(_("Called {called}: the model's forward hook ran.").format(called=HIDDEN_CALL))
    if not s["hidden_passes"]:
        return fail(_("Called {called}: your predict never ran the model.").format(called=HIDDEN_CALL))
    return fail(
        _(
            "Called {called}: your predict ran the model's forward, but the model's forward hook did not run; in "
            "the reference it runs."
        ).format(called=HIDDEN_CALL),
        _("model.forward(x) runs forward alone and skips the model's hooks; calling the model, model(x), runs both."),
    )


exercise.claims = (
    Claim(
        "return ``model(x)`` computed with the whole model in evaluation mode",
        ("output_values", "state_unchanged", "output_hidden"),
    ),
    Claim("under ``torch.no_grad()``, so that the output does not require grad", ("no_graph",)),
    Claim("not even for an ``x`` that does", ("output_hidden",)),
    Claim("Call the model as ``model(x)``, which runs its hooks", ("hooks_run",)),
    Claim(
        "Any model and any input it accepts will do",
        ("output_hidden", "nested_modes_restored", "hooks_run", "caller_no_grad"),
    ),
    Claim("Then give the model back exactly as you found it", ("mode_restored", "state_unchanged")),
    Claim("every module in the mode it was in before the call", ("mode_restored", "nested_modes_restored")),
    Claim("A model that was training goes back to training mode", ("mode_restored",)),
    Claim("a model that was already in evaluation mode stays in it", ("eval_stays_eval",)),
    Claim("The modes of a model's submodules may differ", ("nested_modes_restored",)),
    Claim("``model.train(was_training)`` is not enough", ("nested_modes_restored",)),
    Claim("Nor is assigning ``model.training``, which is the model's own flag only", ("mode_restored",)),
    Claim("gradients enabled or disabled as they were", ("grad_state_unchanged", "caller_no_grad")),
    Claim("every parameter as trainable as it was", ("grad_state_unchanged", "nested_flags_unchanged")),
    Claim("every parameter and buffer unchanged", ("state_unchanged",)),
    Claim("Put the model back even when it raises, and let its error reach the caller", ("mode_restored_on_error",)),
    Claim(">>> y.requires_grad, model.training (False, True)", ("no_graph", "mode_restored")),
    Claim(">>> torch.equal(y, predict(model, x))", ("output_values",)),
    Claim("model.training, model[1].training, model[2].training (True, False, True)", ("nested_modes_restored",)),
    Claim(
        "``model(x)`` in evaluation mode under ``torch.no_grad()``; the model is given back as it was.",
        ("output_values", "no_graph", "mode_restored"),
    ),
)
exercise.prose = (
    "Exercise 13 — Predicting in evaluation mode, without gradients, and putting the model back.",
    "Two switches matter when you validate or predict",
    "sets ``training = False`` on the model and every submodule.",
    "Layers that behave differently in training change behaviour",
    "It does nothing to gradients.",
    "stops autograd from recording the computation",
    "It does nothing to dropout or batch norm.",
    "Validation needs both.",
    "Without ``eval()``, predictions are noisy",
    "Without ``no_grad()``, each forward pass builds a graph that is never used.",
    "A correction to the lecture: it suggests setting ``requires_grad=False`` for validation.",
    "That is how you *freeze* parameters for training",
    "Use ``model.eval()`` with ``torch.no_grad()``",
)
