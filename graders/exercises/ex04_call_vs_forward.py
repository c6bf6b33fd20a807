"""ex04 — model(x) runs forward hooks, model.forward(x) does not; a hook stays until its handle is removed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import torch
from torch import nn
from torch.nn.modules import module as module_internals

from graders.checks import compare_values, describe, values_match
from graders.probe import Probe, type_name
from graders.spec import Exercise, Hint, Observations, Verdict, fail, ok

exercise = Exercise(
    id="ex04_call_vs_forward",
    title="count_calls: run a model with a forward hook, then remove it",
    hints=(
        Hint(
            "Count with a hook on `module`: `handle = module.register_forward_hook(hook)`, where `hook(module, "
            "inputs, output)` adds one to a counter (a `nonlocal` variable or a list) and returns nothing.",
            checks=("counts_model_calls", "counts_layer_calls", "outputs"),
        ),
        Hint(
            "Call the model as `model(x)`: `model.forward(x)` skips every hook registered on the model, yours "
            "and everybody else's.",
            checks=("counts_model_calls", "runs_existing_hooks"),
        ),
        Hint(
            "Remove your hook before returning: `handle.remove()`, in a `finally:` block. Start the count at "
            "zero inside count_calls, so that each call counts only its own batches.",
            checks=("removes_hook", "count_again"),
        ),
    ),
    error_hints={
        "must be Tensor, not": (
            "A layer received something that is not a tensor. Does your hook return a value? A forward hook's "
            "return value replaces the module's output: return nothing (None) from the hook."
        ),
    },
)

BATCHES = 3
AGAIN = 2  # batches in the second call with the model itself
REPEATS = 2  # how often the public model runs its shared block per forward
IN_FEATURES, WIDTH, OUT_FEATURES = 4, 6, 3
HIDDEN_RUNS = ("hidden_block_run", "hidden_model_run")


class SharedBlockNet(nn.Module):
    """The model count_calls runs: an input layer, one block applied ``repeats`` times, an output layer."""

    def __init__(self, repeats: int, in_features: int = IN_FEATURES, width: int = WIDTH):
        super().__init__()
        self.repeats = repeats
        self.inp = nn.Linear(in_features, width)
        self.block = nn.Linear(width, width)
        self.out = nn.Linear(width, OUT_FEATURES)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.relu(self.inp(x))
        for _ in range(self.repeats):
            x = torch.relu(self.block(x))
        return self.out(x)


# -- probe ---------------------------------------------------------------------------------


def hook_counts(model: nn.Module) -> dict[str, int]:
    """How many forward hooks and pre-hooks each module holds, and how many global ones exist."""
    counts = {
        name or "model": len(module._forward_hooks) + len(module._forward_pre_hooks)
        for name, module in model.named_modules()
    }
    counts["global"] = len(module_internals._global_forward_hooks) + len(module_internals._global_forward_pre_hooks)
    return counts


def run(p: Probe, key: str, called: str, count_calls: Any, model: nn.Module, module: nn.Module, batches: list) -> None:
    """Call the student's count_calls, recording its result, how often the hook that was already on
    the model fired, and the hooks left behind."""
    existing = model.existing_calls  # type: ignore[attr-defined]
    before = len(existing)
    try:
        p.observe(key, called, count_calls, model, module, list(batches))
        p.record(f"{key}/existing_hook_calls", len(existing) - before)
    finally:  # hooks left behind matter also when count_calls raised
        p.record(f"{key}/hooks_after", hook_counts(model))


def prepared_model(p: Probe, repeats: int, weights: str, secret: bool = False, width: int = WIDTH) -> nn.Module:
    """A SharedBlockNet with seeded weights and one forward hook that is not the student's."""
    model = SharedBlockNet(repeats, width=width)
    p.fill_parameters(model, weights, secret)
    calls: list[int] = []
    model.existing_calls = calls  # type: ignore[attr-defined]
    model.register_forward_hook(lambda module, inputs, output: calls.append(1))
    return model


@exercise.probe
def probe(p: Probe) -> None:
    count_calls = p.require("count_calls")
    if not callable(count_calls):
        kind = type_name(count_calls)
        p.fail("count_calls", "WrongKind", f"`count_calls` should be a function; yours is of type {kind}", "", True)

    model = prepared_model(p, REPEATS, "weights")
    batches = [p.randn(f"batch{i}", i + 1, IN_FEATURES) for i in range(BATCHES)]
    with p.section():
        run(p, "model_run", "count_calls(model, model, batches)", count_calls, model, model, batches)
    with p.section():
        run(p, "block_run", "count_calls(model, model.block, batches)", count_calls, model, model.block, batches)
    with p.section():
        again = batches[:AGAIN]
        run(p, "again_run", "count_calls(model, model, batches[:2]), a second time", count_calls, model, model, again)

    if p.hidden:
        repeats = p.randint("hidden/repeats", 3, 5, secret=True)
        width = p.randint("hidden/width", 7, 12, secret=True)
        hidden_model = prepared_model(p, repeats, "hidden-weights", True, width)
        n = p.randint("hidden/batches", 4, 7, secret=True)
        hidden_batches = [p.randn(f"hidden/batch{i}", i + 2, IN_FEATURES, secret=True) for i in range(n)]
        called = "count_calls on a hidden model and hidden batches"
        with p.section():
            p.observe("hidden_block_run", called, count_calls, hidden_model, hidden_model.block, hidden_batches)
        with p.section():
            p.observe("hidden_model_run", called, count_calls, hidden_model, hidden_model, hidden_batches)


# -- checks --------------------------------------------------------------------------------


def unpack(result: Any) -> tuple[Any, Any, str | None]:
    """(outputs, count, None), or (None, None, what is wrong with the returned value)."""
    if not isinstance(result, tuple | list) or len(result) != 2:
        return None, None, f"yours returned {describe(result)}; it should return a tuple (outputs, count)"
    outputs, count = result
    if type(count) is not int:
        return None, None, f"your count is {describe(count)}; it should be an int"
    if not isinstance(outputs, list | tuple):
        return None, None, f"your outputs are {describe(outputs)}; they should be a list with one output per batch"
    return list(outputs), count, None


def compare_count(called: str, s: Observations, r: Observations, key: str, diagnose: Any) -> Verdict:
    _, yours, problem = unpack(s[key])
    if problem:
        return fail(f"Called {called}: {problem}.")
    _, reference, _ = unpack(r[key])
    if yours == reference:
        return ok(f"Called {called}: your count is {yours}, as expected.")
    return fail(f"Called {called}: your count is {yours}; the reference's is {reference}.", diagnose(yours, reference))


HOOK_RETURNS = (
    "Does your hook return a value? A forward hook's return value replaces the module's output: "
    "return nothing (None) from the hook."
)
FORWARD_SKIPS_HOOKS = (
    "Did you call `model.forward(x)`? It runs forward without any hook; call `model(x)`, which runs the hooks."
)


@exercise.check(points=2, concept="forward", needs=("model_run",))
def counts_model_calls(s: Observations, r: Observations) -> Verdict:
    """count_calls(model, model, batches) counts one call per batch: 3"""

    def diagnose(yours: int, reference: int) -> str:
        if yours == 0:
            return "Your hook never fired. " + FORWARD_SKIPS_HOOKS
        return "Count each time the hook fires, once per call of the model: one per batch."

    return compare_count("count_calls(model, model, batches) with 3 batches", s, r, "model_run", diagnose)


@exercise.check(points=2, concept="forward", needs=("block_run",))
def counts_layer_calls(s: Observations, r: Observations) -> Verdict:
    """count_calls(model, model.block, batches) counts a layer the model runs twice per batch: 6"""

    def diagnose(yours: int, reference: int) -> str:
        if yours == BATCHES:
            return (
                "You counted batches (or calls of the model), not calls of `module`: register the hook on the "
                "module passed as the second argument. Here the model runs that layer twice per batch."
            )
        if yours == 0:
            return "Your hook never fired: register it on `module`, the second argument, and call `model(x)`."
        if yours > reference:
            return (
                "Your count includes calls from earlier: start the count at zero inside count_calls, and remove "
                "your hook before returning so that it stops counting."
            )
        return "Register the hook on `module` and count every time it fires."

    return compare_count("count_calls(model, model.block, batches) with 3 batches", s, r, "block_run", diagnose)


@exercise.check(points=1, concept="forward", needs=("model_run",))
def outputs(s: Observations, r: Observations) -> Verdict:
    """count_calls returns the model's output for every batch, unchanged by the hook"""
    called = "count_calls(model, model, batches)"
    yours, _, problem = unpack(s["model_run"])
    if problem:
        return fail(f"Called {called}: {problem}.")
    reference, _, _ = unpack(r["model_run"])
    if len(yours) != len(reference):
        return fail(
            f"Called {called} with {len(reference)} batches: you returned {len(yours)} outputs; the reference "
            f"returns {len(reference)}, one per batch."
        )
    for i, (mine, theirs) in enumerate(zip(yours, reference, strict=True)):
        if not isinstance(mine, torch.Tensor):
            return fail(
                f"Called {called}: your output {i} is {describe(mine)}; the reference's is {describe(theirs)}.",
                HOOK_RETURNS,
            )
        verdict = compare_values(f"{called}: output {i}", mine, theirs, "Return model(x) for each batch, in order.")
        if not verdict.passed:
            return verdict
    return ok(f"Called {called}: your outputs are the model's, one per batch.")


@exercise.check(points=1, concept="forward", needs=("model_run", "model_run/existing_hook_calls"))
def runs_existing_hooks(s: Observations, r: Observations) -> Verdict:
    """A hook someone else registered on the model fires once per batch during count_calls"""
    yours, reference = s["model_run/existing_hook_calls"], r["model_run/existing_hook_calls"]
    lead = "During count_calls(model, model, batches) with 3 batches, a forward hook that was already on the model"
    if yours == reference:
        return ok(f"{lead} fired {yours} times, as expected.")
    hint = FORWARD_SKIPS_HOOKS if yours == 0 else "Call model(x) exactly once per batch."
    return fail(f"{lead} fired {yours} times with your code; {reference} times with the reference's.", hint)


def leftovers(yours: Mapping[str, int], reference: Mapping[str, int]) -> str | None:
    """What differs between the student's hook counts and the reference's, in words."""
    for name, expected in reference.items():
        found = yours.get(name, 0)
        where = "as global hooks" if name == "global" else f"to `{name if name == 'model' else 'model.' + name}`"
        if found > expected:
            extra = found - expected
            return (
                f"{extra} hook{'s' if extra > 1 else ''} of yours {'were' if extra > 1 else 'was'} still attached "
                f"{where} after count_calls returned. Hint: keep the handle that register_forward_hook returns "
                "and call handle.remove() before returning, in a finally: block so that it happens even if the "
                "model raises."
            )
        if found < expected:
            return (
                f"count_calls removed a hook that was not its own: {where.replace('to ', 'on ', 1)} there were "
                f"{found} hooks afterwards; "
                f"with the reference's, {expected} (the one registered before the call). Hint: remove only your "
                "hook, with its handle, not with `_forward_hooks.clear()`."
            )
    return None


@exercise.check(points=2, concept="forward", needs=("model_run", "model_run/hooks_after", "block_run/hooks_after"))
def removes_hook(s: Observations, r: Observations) -> Verdict:
    """After count_calls returns, no hook of yours is left on the model or its layers"""
    for key, called in (
        ("model_run", "count_calls(model, model, batches)"),
        ("block_run", "count_calls(model, model.block, batches)"),
    ):
        problem = leftovers(s[f"{key}/hooks_after"], r[f"{key}/hooks_after"])
        if problem:
            return fail(f"Called {called}: {problem}")
    return ok("After count_calls returned, only the hooks that were there before remained.")


@exercise.check(points=2, concept="forward", needs=("again_run",))
def count_again(s: Observations, r: Observations) -> Verdict:
    """Calling count_calls again counts only that call's batches: 2"""

    def diagnose(yours: int, reference: int) -> str:
        if yours > reference:
            return (
                "Your count carries over from earlier calls: start it at zero inside count_calls (not in a global "
                "or on the model), and remove your hook before returning so that old hooks stop counting."
            )
        if yours == 0:
            return "Your hook never fired. " + FORWARD_SKIPS_HOOKS
        return "Count once per call of the model."

    return compare_count("count_calls(model, model, batches[:2]) after two earlier calls", s, r, "again_run", diagnose)


@exercise.check(points=2, concept="forward", needs=HIDDEN_RUNS, hidden=True)
def hidden_counts(s: Observations, r: Observations) -> Verdict:
    """count_calls counts right on a hidden model (a block run more often) and hidden batches"""
    for key in HIDDEN_RUNS:
        _, yours, problem = unpack(s[key])
        if problem:
            return fail(f"Called count_calls on a hidden model and hidden batches: {problem}.")
        if yours != unpack(r[key])[1]:
            return fail(
                "Called count_calls on a hidden model (whose block runs another number of times per batch) and "
                "hidden batches: your count differs from the reference's.",
                "Count with a hook on `module`, not from len(batches) or fixed numbers, and call model(x).",
            )
    return ok("Your counts match the reference's on a hidden model and hidden batches.")


@exercise.check(points=1, concept="forward", needs=("hidden_model_run",), hidden=True)
def hidden_outputs(s: Observations, r: Observations) -> Verdict:
    """count_calls returns the hidden model's outputs for hidden batches"""
    yours, _, problem = unpack(s["hidden_model_run"])
    reference, _, _ = unpack(r["hidden_model_run"])
    if problem:
        return fail(f"Called count_calls on a hidden model and hidden batches: {problem}.")
    if len(yours) == len(reference) and all(values_match(a, b) for a, b in zip(yours, reference, strict=True)):
        return ok("Your outputs match the reference's on a hidden model and hidden batches.")
    return fail(
        "Called count_calls on a hidden model and hidden batches: your outputs differ from the reference's.",
        "Return [model(x) for x in batches], every batch in order, and let your hook return nothing.",
    )
