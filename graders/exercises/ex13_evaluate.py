"""ex13 — predict in eval() under no_grad() and restore the mode: dropout and batch norm in
evaluation mode, gradients off for validation."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from graders.checks import compare_values, identical, listed
from graders.probe import Probe, type_name
from graders.spec import Exercise, Hint, Observations, Verdict, fail, ok

exercise = Exercise(
    id="ex13_evaluate",
    title="Predicting in evaluation mode, without gradients",
    hints=(
        Hint(
            "Call `model.eval()` before the forward pass, and run the forward pass inside "
            "`with torch.no_grad():`. They do different things and validation needs both: eval() switches "
            "dropout and batch norm, no_grad() switches autograd off.",
            checks=("output_values", "no_graph", "running_stats_unchanged"),
        ),
        Hint(
            "Remember the mode first, `was_training = model.training`, and put it back at the end with "
            "`model.train(was_training)` — not `model.train()`, which would switch a model that was in "
            "evaluation mode to training.",
            checks=("mode_restored", "grad_state_unchanged"),
        ),
        Hint(
            "Put the forward pass in `try:` and the restoring in `finally:`, so that the mode comes back even "
            "when the model raises an error.",
            checks=("mode_restored_on_error",),
        ),
    ),
)

CALLED = "predict(model, x)"
SETUP = "a model with batch norm and dropout, in training mode"
STATS = ("running_mean", "running_var", "num_batches_tracked")


def note(model: nn.Module) -> None:
    """What a forward pass runs under: training mode, gradients enabled, parameters requiring grad."""
    trainable = any(parameter.requires_grad for parameter in model.parameters())
    model.seen.append((model.training, torch.is_grad_enabled(), trainable))


class Net(nn.Module):
    """Linear, batch norm, ReLU, dropout, linear. Notes the mode and grad mode of each forward pass."""

    def __init__(self, inputs: int = 6, hidden: int = 8, classes: int = 3):
        super().__init__()
        self.fc1 = nn.Linear(inputs, hidden)
        self.bn = nn.BatchNorm1d(hidden)
        self.drop = nn.Dropout(0.5)
        self.fc2 = nn.Linear(hidden, classes)
        self.seen: list[tuple[bool, bool, bool]] = []

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        note(self)
        return self.fc2(self.drop(F.relu(self.bn(self.fc1(x)))))


class ConvNet(nn.Module):
    """The hidden check's model: convolution, 2-D batch norm, 2-D dropout, pooling, linear."""

    def __init__(self, channels: int, width: int, classes: int):
        super().__init__()
        self.conv = nn.Conv2d(channels, width, 3, padding=1)
        self.bn = nn.BatchNorm2d(width)
        self.drop = nn.Dropout2d(0.5)
        self.fc = nn.Linear(width, classes)
        self.seen: list[tuple[bool, bool, bool]] = []

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        note(self)
        x = self.drop(F.relu(self.bn(self.conv(x))))
        return self.fc(x.mean(dim=(2, 3)))


def prepared(p: Probe, model: nn.Module, name: str, secret: bool = False) -> nn.Module:
    """Named weights and plausible running statistics (a positive variance), in training mode."""
    p.fill_parameters(model, name, secret=secret)
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, nn.modules.batchnorm._BatchNorm):
                module.running_var.abs_().add_(0.5)
    return model.train()


def modes(model: nn.Module) -> dict[str, bool]:
    return {name or "model": module.training for name, module in model.named_modules()}


def statistics(model: nn.Module) -> dict[str, torch.Tensor]:
    return {name: buffer for name, buffer in model.named_buffers() if name.rsplit(".", 1)[-1] in STATS}


def graph_of(output: Any) -> dict[str, Any] | None:
    if not isinstance(output, torch.Tensor):
        return None
    return {
        "requires_grad": bool(output.requires_grad),
        "grad_fn": type_name(output.grad_fn) if output.grad_fn else None,
    }


def autograd_state(model: nn.Module) -> dict[str, Any]:
    return {
        "grad_enabled": torch.is_grad_enabled(),
        "requires_grad": {name: bool(parameter.requires_grad) for name, parameter in model.named_parameters()},
    }


@exercise.probe
def probe(p: Probe) -> None:
    predict = p.require("predict")

    model = prepared(p, Net(), "weights")
    x = p.randn("x", 8, 6)
    with p.section():
        output = p.observe("output", CALLED, predict, model, x)
        p.observe("output_graph", "looking at the output's grad_fn", graph_of, output)
    p.record("seen", list(model.seen))
    p.record("statistics", statistics(model))
    p.record("modes", modes(model))
    p.record("autograd", autograd_state(model))
    torch.set_grad_enabled(True)

    model = prepared(p, Net(), "weights")
    with p.section():
        p.expect_error("error", f"{CALLED} with an x the model cannot take", predict, model, p.randn("bad_x", 4, 5))
        p.record("modes_after_error", modes(model))
    torch.set_grad_enabled(True)

    if p.hidden:
        model = prepared(p, Net(), "weights").eval()
        with p.section():
            p.observe("eval_output", f"{CALLED} on a model in evaluation mode", predict, model, x)
            p.record("eval_modes", modes(model))
        torch.set_grad_enabled(True)

        channels, width, classes, batch, side = (
            p.randint(f"hidden/{name}", low, high, secret=True)
            for name, low, high in (
                ("channels", 1, 3),
                ("width", 2, 6),
                ("classes", 2, 5),
                ("batch", 2, 6),
                ("side", 3, 7),
            )
        )
        model = prepared(p, ConvNet(channels, width, classes), "hidden-weights", secret=True)
        with p.section():
            p.observe(
                "hidden_output",
                f"{CALLED} on another model",
                predict,
                model,
                p.randn("hidden/x", batch, channels, side, side, secret=True),
            )
        p.record("hidden_seen", list(model.seen))
        torch.set_grad_enabled(True)


# -- judging ---------------------------------------------------------------------------------


def ran_in_training(s: Observations) -> bool:
    return any(seen[0] for seen in s.get("seen", []))


TRAINING_HINT = (
    "Your predict ran the model in training mode: dropout zeroed random activations and batch norm normalised "
    "with the batch's statistics. Call `model.eval()` before the forward pass."
)


@exercise.check(points=3, concept="evaluation", needs=("output", "seen"))
def output_values(s: Observations, r: Observations) -> Verdict:
    """predict(model, x) gives the model's evaluation-mode output"""

    def diagnosis(yours: torch.Tensor, reference: torch.Tensor) -> str:
        if not s["seen"]:
            return "Your predict never called the model: return `model(x)`."
        if ran_in_training(s):
            return TRAINING_HINT
        return "Return `model(x)` itself, computed in evaluation mode, without changing it."

    return compare_values(f"{CALLED} with {SETUP}", s["output"], r["output"], diagnosis)


@exercise.check(points=2, concept="evaluation", needs=("output", "output_graph", "seen", "autograd"))
def no_graph(s: Observations, r: Observations) -> Verdict:
    """predict runs the forward pass under torch.no_grad(): no graph, no grad_fn"""
    graph, seen = s["output_graph"], s["seen"]
    frozen = any(enabled and not trainable for _, enabled, trainable in seen)
    slip = (
        " Setting requires_grad=False on the parameters, as the lecture suggests, is not the way to validate: "
        "it freezes the model for training (exercise 09), leaves dropout and batch norm as they are, and an "
        "input that requires grad still builds a graph."
        if frozen
        else ""
    )
    hint = (
        "Run the forward pass inside `with torch.no_grad():` (or `torch.inference_mode()`). model.eval() alone "
        "does not turn gradients off: it only switches dropout and batch norm." + slip
    )
    if graph is None:
        return fail(f"Called {CALLED}: it did not return a tensor, so there is no output to look at.")
    if graph["requires_grad"] or graph["grad_fn"]:
        grad_fn = f" (its grad_fn is {graph['grad_fn']})" if graph["grad_fn"] else ""
        return fail(
            f"Called {CALLED} with {SETUP}: your output requires grad{grad_fn}, so autograd recorded the whole "
            "computation; the reference's output does not require grad and has no grad_fn.",
            hint,
        )
    if any(enabled for _, enabled, _ in seen):
        how = (
            " (the parameters did not require grad while it ran)"
            if frozen
            else " (you detached the result afterwards, but the graph was built first)"
        )
        return fail(
            f"Called {CALLED} with {SETUP}: your output does not require grad, but the model's forward pass ran "
            f"with gradients enabled{how}; the reference runs it under torch.no_grad().",
            hint,
        )
    return ok(f"Called {CALLED}: the forward pass ran with gradients off; the output has no grad_fn.")


@exercise.check(points=1, concept="evaluation", needs=("output", "statistics"))
def running_stats_unchanged(s: Observations, r: Observations) -> Verdict:
    """predict leaves batch norm's running statistics as they were"""
    yours, reference = s["statistics"], r["statistics"]
    moved = [name for name, tensor in reference.items() if not identical(yours.get(name), tensor)]
    if not moved:
        return ok(f"Called {CALLED}: batch norm's running statistics did not move.")
    return fail(
        f"Called {CALLED} with {SETUP}: afterwards your model's {listed(moved, None, quote='')} had changed; "
        "the reference leaves them as they were.",
        "In training mode, batch norm updates its running statistics on every forward pass, so validating "
        "would change the model. Call `model.eval()` before the forward pass.",
    )


def compare_modes(called: str, yours: dict[str, bool], reference: dict[str, bool]) -> Verdict | None:
    """A failing verdict if the student's modes differ from the reference's, else None."""
    if yours == reference:
        return None
    expected = reference.get("model")
    wrong = [name for name, mode in reference.items() if yours.get(name) != mode]
    word = {True: "training", False: "evaluation"}
    if yours.get("model") == expected:
        return fail(
            f"Called {called}: afterwards model.training is {expected}, but its "
            f"submodules {listed(wrong, None, quote='')} are in {word[not expected]} mode.",
            "Assigning `model.training = ...` changes the model's own flag only. Call `model.train(was_training)`: "
            "it sets the mode of every submodule too.",
        )
    return fail(
        f"Called {called}: afterwards model.training is {yours.get('model')}; the "
        f"reference leaves it in {word[expected]} mode, as it was.",
        "Remember `was_training = model.training` before calling model.eval(), and call "
        "`model.train(was_training)` at the end, so that the caller gets the model back in the mode it gave you.",
    )


@exercise.check(points=2, concept="evaluation", needs=("output", "modes"))
def mode_restored(s: Observations, r: Observations) -> Verdict:
    """a model in training mode is back in training mode after predict"""
    verdict = compare_modes(f"{CALLED} on a model in training mode", s["modes"], r["modes"])
    return verdict or ok(f"Called {CALLED} on a model in training mode: it is back in training mode afterwards.")


@exercise.check(points=1, concept="evaluation", needs=("output", "autograd"))
def grad_state_unchanged(s: Observations, r: Observations) -> Verdict:
    """predict leaves autograd as it was: gradients enabled, parameters trainable"""
    yours, reference = s["autograd"], r["autograd"]
    if not yours["grad_enabled"]:
        return fail(
            f"Called {CALLED}: afterwards gradients are switched off for the whole program "
            "(torch.is_grad_enabled() is False), so the next training step would not learn.",
            "Use `with torch.no_grad():`, which switches gradients back on when the block ends, rather than "
            "`torch.set_grad_enabled(False)`.",
        )
    frozen = [name for name, flag in reference["requires_grad"].items() if yours["requires_grad"].get(name) != flag]
    if frozen:
        return fail(
            f"Called {CALLED}: afterwards the model's parameters {listed(frozen, None, quote='')} have "
            "requires_grad=False; before the call they required grad, and the reference leaves them so.",
            "The lecture suggests requires_grad=False for validation, but that freezes the model (exercise 09): "
            "it stays frozen after validation and stops learning. Use `torch.no_grad()`, which changes nothing "
            "on the model.",
        )
    return ok(f"Called {CALLED}: afterwards gradients are enabled and every parameter still requires grad.")


@exercise.check(points=1, concept="evaluation", needs=("output", "modes", "error", "modes_after_error"))
def mode_restored_on_error(s: Observations, r: Observations) -> Verdict:
    """a model in training mode is back in training mode even when the model raises"""
    called = f"{CALLED} on a model in training mode, with an x of the wrong size so that the model raises"
    verdict = compare_modes(called, s["modes_after_error"], r["modes_after_error"])
    if verdict is None:
        return ok(f"Called {called}: the model is back in training mode afterwards.")
    if s["error"].get("raised") is not None and s["modes"] == r["modes"]:
        return fail(
            verdict.message.split(" Hint: ")[0],
            "When the forward pass raises, the lines after it never run. Put the forward pass in `try:` and "
            "`model.train(was_training)` in `finally:`, which runs in every case.",
        )
    return verdict


@exercise.check(points=1, concept="evaluation", needs=("eval_output", "eval_modes"), hidden=True)
def eval_stays_eval(s: Observations, r: Observations) -> Verdict:
    """a model already in evaluation mode is still in evaluation mode after predict"""
    verdict = compare_modes(f"{CALLED} on a model in evaluation mode", s["eval_modes"], r["eval_modes"])
    if verdict is not None and s["eval_modes"].get("model"):
        return fail(
            verdict.message.split(" Hint: ")[0],
            "`model.train()` at the end switches every model to training mode, also one the caller had put in "
            "evaluation mode. Restore the mode it had: `model.train(was_training)`.",
        )
    return verdict or ok(f"Called {CALLED} on a model in evaluation mode: it stays in evaluation mode.")


@exercise.check(points=2, concept="evaluation", needs=("hidden_output", "hidden_seen"), hidden=True)
def output_hidden(s: Observations, r: Observations) -> Verdict:
    """predict gives the evaluation-mode output of another model (convolution, 2-D batch norm and dropout)"""

    def diagnosis(yours: torch.Tensor, reference: torch.Tensor) -> str:
        if any(seen[0] for seen in s["hidden_seen"]):
            return TRAINING_HINT
        return (
            "Your predict is right on the public model only: call `model(x)` for whatever model and input you "
            "are given, without assuming their shapes or layers."
        )

    return compare_values(
        f"{CALLED} on another model with convolution, batch norm and dropout",
        s["hidden_output"],
        r["hidden_output"],
        diagnosis,
        hidden=True,
    )
