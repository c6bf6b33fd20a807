"""ex04 — model(x) runs forward hooks, model.forward(x) does not; a hook stays until its handle is removed."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import torch
from torch import nn

from graders.checks import compare_gradients, compare_modes, compare_values, describe, values_match
from graders.i18n import N_, Phrase, _, ngettext
from graders.probe import GLOBAL_HOOKS, Probe, forward_hooks, modules_in_eval_mode, type_name
from graders.spec import Claim, Exercise, Hint, Observations, Verdict, fail, ok

exercise = Exercise(
    id="ex04_call_vs_forward",
    title=N_("count_calls: run a model with a forward hook, then remove it"),
    hints=(
        Hint(
            N_(
                "Count with a hook registered on `module` itself, the second argument: a function of (module, inputs, "
                "output) that adds one to a counter it shares with count_calls (a `nonlocal` variable, a list or an "
                "object), starts at zero in every call of count_calls, and returns nothing."
            ),
            checks=("counts_model_calls", "counts_layer_calls", "count_again", "outputs"),
        ),
        Hint(
            N_(
                "Run the model by calling it, `model(x)`, once per batch: `model.forward(x)` skips every hook "
                "registered on the model, yours and everybody else's."
            ),
            checks=("counts_model_calls", "runs_existing_hooks"),
        ),
        Hint(
            N_(
                "Return what `model(x)` gives, as it is: inside `torch.no_grad()`, or after `.detach()`, the outputs "
                "leave the autograd graph and no loss computed from them can train the model."
            ),
            checks=("gradients",),
        ),
        Hint(
            N_(
                "`register_forward_hook` returns a handle; call its `remove()` in a `finally` block, so that your hook "
                "goes also when the model raises, and let the error go on to your caller. Remove nothing else."
            ),
            checks=("removes_hook", "removes_hook_on_error", "count_again"),
        ),
        Hint(
            N_(
                "Change nothing else: neither the model's mode (train() or eval()) nor the autograd setting your "
                "caller chose, and let your hook work for any module, whatever it returns."
            ),
            checks=("leaves_mode", "hidden_counts", "hidden_outputs", "hidden_gradients", "hidden_leaves_mode"),
        ),
    ),
    error_hints={
        "must be Tensor, not": (
            N_(
                "A layer received something that is not a tensor. Does your hook return a value? A forward hook's "
                "return value replaces the module's output: return nothing (None) from the hook."
            )
        ),
    },
)

BATCHES = 3
AGAIN = 2  # batches in the second call with the model itself
REPEATS = 2  # how often the public model runs its shared block per forward
IN_FEATURES, WIDTH, OUT_FEATURES = 4, 6, 3
MODEL_RUN = "count_calls(model, model, batches)"
BLOCK_RUN = "count_calls(model, model.block, batches)"
AGAIN_CALL = "count_calls(model, model, batches[:2])"
AGAIN_RUN = Phrase(N_("{called}, a second time"), called=AGAIN_CALL)
ERROR_RUN = Phrase(
    N_("{called} where the second batch makes the model raise"), called="count_calls(model, model.block, batches)"
)
PUBLIC_RUNS = {"model_run": MODEL_RUN, "block_run": BLOCK_RUN}
HOOK_RETURNS = N_(
    "Your hook returns a value, and a forward hook's return value replaces the module's output: return "
    "nothing (None) from the hook."
)
FORWARD_SKIPS_HOOKS = N_(
    "model.forward(x) runs forward without any hook: call model(x), which runs the hooks, once per batch."
)


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
        for _step in range(self.repeats):
            x = torch.relu(self.block(x))
        return self.out(x)


# -- probe ---------------------------------------------------------------------------------


def run(
    p: Probe, key: str, called: str | Phrase, count_calls: Any, model: nn.Module, module: nn.Module, batches: list
) -> Any:
    """Call the student's count_calls, recording its result, how the model ran meanwhile (as the hook
    that was already on it saw each run), the hooks left behind and the modes the modules are left in."""
    seen = model.runs_seen  # type: ignore[attr-defined]
    before = len(seen)
    try:
        result = p.observe(key, called, count_calls, model, module, list(batches))
        p.record(f"{key}/runs", seen[before:])
        return result
    finally:  # hooks left behind matter also when count_calls raised
        p.record(f"{key}/hooks_after", forward_hooks(model))
        p.record(f"{key}/modes_after", modules_in_eval_mode(model))


def prepared(p: Probe, model: nn.Module, weights: str, secret: bool = False) -> nn.Module:
    """``model`` with seeded weights and one forward hook that is not the student's: at every run of
    the model it notes whether the model was in train() mode and whether autograd was recording."""
    p.fill_parameters(model, weights, secret)
    seen: list[tuple[bool, bool]] = []
    model.runs_seen = seen  # type: ignore[attr-defined]
    model.register_forward_hook(lambda module, inputs, output: seen.append((module.training, torch.is_grad_enabled())))
    return model


def backward(
    p: Probe, key: str, called: str | Phrase, result: Any, model: nn.Module, batches: Mapping[str, torch.Tensor]
) -> None:
    """``p.backward`` from every output count_calls returned at once (flattened and joined) to the
    model's parameters and the batches."""
    outputs = result[0] if isinstance(result, tuple | list) and len(result) == 2 else None
    if not isinstance(outputs, list | tuple) or not all(isinstance(out, torch.Tensor) for out in outputs):
        no_outputs = _("{called} returned no list of tensors, so backward() was not called").format(called=called)
        p.fail(key, "Probe:NoOutputs", no_outputs, called)
    joined = torch.cat([out.reshape(-1) for out in outputs]) if outputs else torch.zeros(0)
    p.backward(key, called, joined, dict(model.named_parameters()), batches)


@exercise.probe
def probe(p: Probe) -> None:
    count_calls = p.require("count_calls")
    if not callable(count_calls):
        kind = type_name(count_calls)
        wrong = _("`{name}` should be a function; yours is of type {type}").format(name="count_calls", type=kind)
        p.fail("count_calls", "WrongKind", wrong, "", True)

    model = prepared(p, SharedBlockNet(REPEATS), "weights")
    batches = {f"batch{i}": p.randn(f"batch{i}", i + 1, IN_FEATURES).requires_grad_() for i in range(BATCHES)}
    listed = list(batches.values())
    with p.section():
        result = run(p, "model_run", MODEL_RUN, count_calls, model, model, listed)
        backward(p, "gradients", MODEL_RUN, result, model, batches)
    with p.section():
        run(p, "block_run", BLOCK_RUN, count_calls, model, model.block, listed)
    with p.section():
        run(p, "again_run", AGAIN_RUN, count_calls, model, model, listed[:AGAIN])
    with p.section():
        failing = prepared(p, SharedBlockNet(REPEATS), "weights")
        bad = [listed[0], p.randn("bad_batch", 2, IN_FEATURES + 1), listed[2]]
        p.expect_error("error_run", ERROR_RUN, count_calls, failing, failing.block, bad)
        p.record("error_run/hooks_after", forward_hooks(failing))

    if p.hidden:
        repeats = p.randint("hidden/repeats", 3, 4, secret=True)
        width = p.randint("hidden/width", 7, 12, secret=True)
        n = p.randint("hidden/batches", 3, 4, secret=True)
        hidden_batches = {
            f"batch{i}": p.randn(f"hidden/batch{i}", i + 2, IN_FEATURES, secret=True).requires_grad_() for i in range(n)
        }
        hidden_model = prepared(p, NestedNet(repeats, width), "hidden-weights", secret=True)
        steady(hidden_model)
        for key, hidden_run in HIDDEN_RUNS.items():  # one after another on the same model, as a caller would
            with p.section():
                hidden_model.train(not hidden_run.eval_mode)
                module = hidden_model if hidden_run.counts_model else hidden_model.stages["encoder"][2]
                function = under_no_grad(count_calls) if hidden_run.caller_no_grad else count_calls
                listed = list(hidden_batches.values())
                result = run(p, key, hidden_run.called, function, hidden_model, module, listed)
                if key in GRADIENT_KEYS:
                    backward(p, f"{key}/gradients", hidden_run.called, result, hidden_model, hidden_batches)


class Gate(nn.Module):
    """A block that returns a tuple, (features, gate), rather than a tensor."""

    def __init__(self, width: int):
        super().__init__()
        self.linear = nn.Linear(width, width)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        h = self.linear(x)
        return torch.relu(h), torch.sigmoid(h)


class NestedNet(nn.Module):
    """A model whose counted module, a Gate, sits in an nn.Sequential inside an nn.ModuleDict and runs
    ``repeats`` times per batch, beside a BatchNorm that computes otherwise in train() and eval()."""

    def __init__(self, repeats: int, width: int):
        super().__init__()
        self.repeats = repeats
        encoder = nn.Sequential(nn.Linear(IN_FEATURES, width), nn.BatchNorm1d(width), Gate(width))
        self.stages = nn.ModuleDict({"encoder": encoder, "head": nn.Linear(width, OUT_FEATURES)})

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        linear, norm, gate = self.stages["encoder"]
        x = norm(linear(x))
        for _step in range(self.repeats):
            features, weights = gate(x)
            x = features * weights
        return self.stages["head"](x)


def steady(model: nn.Module) -> None:
    """Running variances that are positive, whatever values fill_parameters gave them."""
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, nn.BatchNorm1d):
                module.running_var.abs_().add_(0.5)


def under_no_grad(count_calls: Callable[..., Any]) -> Callable[..., Any]:
    """count_calls as a caller runs it inside ``torch.no_grad()``."""

    def call(*args: Any) -> Any:
        with torch.no_grad():
            return count_calls(*args)

    return call


class HiddenRun(NamedTuple):
    """One hidden call of count_calls on a NestedNet with hidden sizes and batches."""

    called: Phrase  # what the checks say was called
    eval_mode: bool  # the caller put the model in eval() mode
    counts_model: bool  # module is the model itself, not its nested Gate
    caller_no_grad: bool  # the caller runs count_calls inside torch.no_grad()


# Each kind under every secret seed.
HIDDEN_RUNS = {
    "hidden_block_run": HiddenRun(
        Phrase(
            N_(
                "count_calls on a hidden model, counting a module nested in a Sequential inside a ModuleDict, which "
                "returns a tuple"
            )
        ),
        eval_mode=False,
        counts_model=False,
        caller_no_grad=False,
    ),
    "hidden_model_run": HiddenRun(
        Phrase(N_("count_calls on a hidden model, counting the model, called under torch.no_grad()")),
        eval_mode=False,
        counts_model=True,
        caller_no_grad=True,
    ),
    "hidden_eval_run": HiddenRun(
        Phrase(
            N_(
                "count_calls on a hidden model in eval() mode, counting a module nested in a Sequential inside a "
                "ModuleDict"
            )
        ),
        eval_mode=True,
        counts_model=False,
        caller_no_grad=False,
    ),
}
# The runs whose gradients are judged: in eval() mode, backward() would tell nothing the train() run does not.
GRADIENT_KEYS = tuple(key for key, hidden_run in HIDDEN_RUNS.items() if not hidden_run.eval_mode)


# -- checks --------------------------------------------------------------------------------


def unpack(result: Any) -> tuple[Any, Any, str | None]:
    """(outputs, count, None), or (None, None, what is wrong with the returned value)."""
    if not isinstance(result, tuple | list) or len(result) != 2:
        return (
            None,
            None,
            _("yours returned {what}; it should return a tuple (outputs, count)").format(what=describe(result)),
        )
    outputs, count = result
    if type(count) is not int:
        return None, None, _("your count is {what}; it should be an int").format(what=describe(count))
    if not isinstance(outputs, list | tuple):
        return (
            None,
            None,
            _("your outputs are {what}; they should be a list with one output per batch").format(
                what=describe(outputs)
            ),
        )
    return list(outputs), count, None


def compare_count(
    called: str | Phrase,
    s: Observations,
    r: Observations,
    key: str,
    diagnose: Callable[[int, int], str | None],
    hidden: bool = False,
) -> Verdict:
    _outputs, yours, problem = unpack(s[key])
    if problem:
        return fail(_("Called {called}: {problem}.").format(called=called, problem=problem))
    reference = unpack(r[key])[1]
    if yours == reference:
        return ok(_("Called {called}: your count is {count}, as expected.").format(called=called, count=yours))
    if hidden:
        message = _("Called {called}: your count differs from the reference's.").format(called=called)
    else:
        message = _("Called {called}: your count is {yours}; the reference's is {reference}.").format(
            called=called, yours=yours, reference=reference
        )
    return fail(message, diagnose(yours, reference))


def runs(s: Observations, key: str) -> list[tuple[bool, bool]] | None:
    """How the model ran during a call of count_calls, run by run: (in train() mode, autograd recording)."""
    value = s.get(f"{key}/runs")
    return value if isinstance(value, list) else None


def count_diagnosis(
    s: Observations, r: Observations, key: str, hidden: bool = False
) -> Callable[[int, int], str | None]:
    """Why a count is off, from how often the model ran meanwhile (the hook already on it saw each run)."""

    def diagnose(yours: int, reference: int) -> str | None:
        ran, expected = len(runs(s, key) or []), len(runs(r, key) or [])
        if ran == 0 and expected:
            return _("The hook already on the model never fired either. {advice}").format(advice=_(FORWARD_SKIPS_HOOKS))
        if ran != expected:
            if hidden:
                return _("The model ran another number of times than with the reference.")
            return _("The model ran {yours} times during count_calls; with the reference, {reference}.").format(
                yours=ran, reference=expected
            )
        if yours == 0:
            return _(
                "The model ran as with the reference, yet your hook counted nothing: register it on `module`, the "
                "second argument, and count every call, whatever the module returns."
            )
        if yours == ran:
            return _(
                "Your count equals the number of times the model ran: you counted calls of the model (or batches), "
                "not calls of `module`, which the model runs several times per batch."
            )
        if yours > reference:
            return _(
                "The model ran as with the reference, so your count includes calls from before this call of "
                "count_calls: start it at zero inside count_calls, and remove your hook before returning so that "
                "it stops counting."
            )
        return None

    return diagnose


@exercise.check(points=2, concept="forward", needs=("model_run",))
def counts_model_calls(s: Observations, r: Observations) -> Verdict:
    """count_calls(model, model, batches) counts one call per batch: 3"""
    return compare_count(
        _("{called} with {count} batches").format(called=MODEL_RUN, count=3),
        s,
        r,
        "model_run",
        count_diagnosis(s, r, "model_run"),
    )


@exercise.check(points=2, concept="forward", needs=("block_run",))
def counts_layer_calls(s: Observations, r: Observations) -> Verdict:
    """count_calls(model, model.block, batches) counts a layer the model runs twice per batch: 6"""
    return compare_count(
        _("{called} with {count} batches").format(called=BLOCK_RUN, count=3),
        s,
        r,
        "block_run",
        count_diagnosis(s, r, "block_run"),
    )


def compare_outputs(
    called: str | Phrase, yours: list[Any], reference: list[torch.Tensor], hidden: bool = False
) -> Verdict:
    """The outputs count_calls returned against the reference's, batch by batch, in order."""
    if len(yours) != len(reference):
        return fail(
            _(
                "Called {called}: you returned {yours} outputs; the reference returns {reference}, one per batch."
            ).format(called=called, yours=len(yours), reference=len(reference))
        )
    for i, (mine, theirs) in enumerate(zip(yours, reference, strict=True)):
        if not isinstance(mine, torch.Tensor):
            return fail(
                _(
                    "Called {called}: your output {i} is {what}; the reference's is a tensor. The model returns a "
                    "tensor, so a hook replaced its output."
                ).format(called=called, i=i, what=describe(mine)),
                _(HOOK_RETURNS),
            )
        which = called if hidden else _("{called}: output {i}").format(called=called, i=i)
        verdict = compare_values(which, mine, theirs, hidden=hidden)
        if not verdict.passed:
            return verdict
    return ok(_("Called {called}: your outputs are the model's, one per batch, in order.").format(called=called))


@exercise.check(points=1, concept="forward", needs=("model_run",))
def outputs(s: Observations, r: Observations) -> Verdict:
    """count_calls returns the model's output for every batch, in order, unchanged by the hook"""
    for key, called in PUBLIC_RUNS.items():
        if key not in s:  # count_calls raised: the check on that count says so
            continue
        yours, _count, problem = unpack(s[key])
        if problem:
            return fail(_("Called {called}: {problem}.").format(called=called, problem=problem))
        verdict = compare_outputs(called, yours, unpack(r[key])[0])
        if not verdict.passed:
            return verdict
    return ok(_("count_calls returned the model's outputs, one per batch, in order."))


def outputs_match(s: Observations, r: Observations, key: str) -> bool:
    mine, theirs = unpack(s.get(key))[0], unpack(r[key])[0]
    return mine is not None and len(mine) == len(theirs) and values_match(mine, theirs)


@exercise.check(points=1, concept="autograd", needs=("model_run", "gradients"))
def gradients(s: Observations, r: Observations) -> Verdict:
    """The outputs stay part of the autograd graph: backward() gives every weight and batch the reference's gradient"""
    return compare_gradients(
        _("{called}, every output").format(called=MODEL_RUN),
        s["gradients"],
        r["gradients"],
        output_matches=outputs_match(s, r, "model_run"),
    )


@exercise.check(points=1, concept="forward", needs=("model_run", "model_run/runs"))
def runs_existing_hooks(s: Observations, r: Observations) -> Verdict:
    """A hook someone else registered on the model fires once per batch during count_calls"""
    yours, reference = len(runs(s, "model_run") or []), len(runs(r, "model_run") or [])
    lead = _("During {called} with 3 batches, a forward hook that was already on the model").format(called=MODEL_RUN)
    if yours == reference:
        return ok(_("{lead} fired {times} times, as expected.").format(lead=lead, times=yours))
    hint = None
    if yours == 0:
        hint = _(FORWARD_SKIPS_HOOKS)
    elif reference and yours % reference == 0:
        hint = _("So your code runs the model {factor} times per batch; run it once per batch.").format(
            factor=yours // reference
        )
    return fail(
        _("{lead} fired {yours} times with your code; {reference} times with the reference's.").format(
            lead=lead, yours=yours, reference=reference
        ),
        hint,
    )


def mode_word(training: bool) -> str:
    return "train()" if training else "eval()"


def ran_in_another_mode(s: Observations, r: Observations, key: str) -> str | None:
    """What the hook already on the model saw of its mode, if it differs from the reference's run."""
    mine, theirs = runs(s, key), runs(r, key)
    if not mine or not theirs or {run[0] for run in mine} == {run[0] for run in theirs}:
        return None
    return _(
        "During count_calls the model ran in {yours} mode; its caller had put it in {reference} mode, and the "
        "reference runs it so. Do not call train() or eval() in count_calls."
    ).format(yours=_(" and ").join(sorted({mode_word(run[0]) for run in mine})), reference=mode_word(theirs[0][0]))


def ran_with_other_autograd(s: Observations, r: Observations, key: str) -> str | None:
    """What the hook already on the model saw of autograd, if it differs from the reference's run."""
    mine, theirs = runs(s, key), runs(r, key)
    if not mine or not theirs or {run[1] for run in mine} == {run[1] for run in theirs}:
        return None
    if theirs[0][1]:
        return _(
            "During count_calls autograd was off while the model ran, although the caller had it on: do not "
            "wrap the calls in torch.no_grad()."
        )
    return _(
        "During count_calls autograd was on while the model ran, although the caller had turned it off with "
        "torch.no_grad(): do not turn it back on (torch.enable_grad()) in count_calls."
    )


def leftovers(yours: Mapping[str, int], reference: Mapping[str, int]) -> tuple[str, str] | None:
    """What differs between the student's hook counts and the reference's, in words, with a hint."""
    for name, expected in reference.items():
        found = yours.get(name, 0)
        where = (
            _("as global hooks")
            if name == GLOBAL_HOOKS
            else _("on `{module}`").format(module=f"model.{name}" if name else "model")
        )
        if found > expected:
            extra = found - expected
            return (
                ngettext(
                    "{extra} hook of yours was still attached {where} after count_calls returned",
                    "{extra} hooks of yours were still attached {where} after count_calls returned",
                    extra,
                ).format(extra=extra, where=where),
                _(
                    "Keep the handle that register_forward_hook returns and call its remove() in a finally block, so "
                    "that it happens even if the model raises."
                ),
            )
        if found < expected:
            return (
                _(
                    "count_calls removed a hook that was not its own: {where} there were {yours} hooks afterwards; "
                    "with the reference's, {reference} (the one registered before the call)"
                ).format(where=where, yours=found, reference=expected),
                _("Remove only your hook, with its handle, not with `_forward_hooks.clear()`."),
            )
    return None


@exercise.check(points=2, concept="forward", needs=("model_run", "model_run/hooks_after", "block_run/hooks_after"))
def removes_hook(s: Observations, r: Observations) -> Verdict:
    """After count_calls returns, no hook of yours is left on the model or its layers"""
    for key, called in PUBLIC_RUNS.items():
        problem = leftovers(s[f"{key}/hooks_after"], r[f"{key}/hooks_after"])
        if problem:
            what, hint = problem
            return fail(_("Called {called}: {what}.").format(called=called, what=what), hint)
    return ok(_("After count_calls returned, only the hooks that were there before remained."))


@exercise.check(points=1, concept="forward", needs=("error_run", "error_run/hooks_after"))
def removes_hook_on_error(s: Observations, r: Observations) -> Verdict:
    """When the model raises, its error reaches the caller and no hook of yours is left"""
    yours, reference = s["error_run"]["raised"], r["error_run"]["raised"]
    if yours is None:
        return fail(
            _(
                "Called {called}: your count_calls returned normally; the reference's lets the model's {error} reach "
                "its caller."
            ).format(called=ERROR_RUN, error=reference),
            _("Remove your hook in a finally block and do not catch the model's error: the caller must see it."),
        )
    if yours != reference:
        return fail(
            _(
                "Called {called}: your count_calls raised {yours}; the reference's lets the model's {error} reach its "
                "caller as it is."
            ).format(called=ERROR_RUN, yours=yours, error=reference)
        )
    problem = leftovers(s["error_run/hooks_after"], r["error_run/hooks_after"])
    if problem:
        what, hint = problem
        return fail(
            _("Called {called}: the model's {error} reached the caller, but {what}.").format(
                called=ERROR_RUN, error=reference, what=what
            ),
            hint,
        )
    return ok(
        _("Called {called}: the model's {error} reached the caller and your hook was gone.").format(
            called=ERROR_RUN, error=reference
        )
    )


@exercise.check(points=2, concept="forward", needs=("again_run",))
def count_again(s: Observations, r: Observations) -> Verdict:
    """Calling count_calls again counts only that call's batches: 2"""
    return compare_count(
        _("{called} after two earlier calls").format(called=AGAIN_CALL),
        s,
        r,
        "again_run",
        count_diagnosis(s, r, "again_run"),
    )


LEAVE_MODE = N_("Do not call train() or eval() in count_calls: the caller chose the mode.")


@exercise.check(points=1, concept="evaluation", needs=("model_run", "model_run/modes_after", "block_run/modes_after"))
def leaves_mode(s: Observations, r: Observations) -> Verdict:
    """count_calls leaves the model in the mode it found it in"""
    for key, called in PUBLIC_RUNS.items():
        verdict = compare_modes(called, s[f"{key}/modes_after"], r[f"{key}/modes_after"], _(LEAVE_MODE))
        if not verdict.passed:
            return verdict
    return ok(_("count_calls left every module in the mode it found it in."))


HIDDEN_KEYS = tuple(HIDDEN_RUNS)


@exercise.check(points=2, concept="forward", needs=HIDDEN_KEYS, hidden=True)
def hidden_counts(s: Observations, r: Observations) -> Verdict:
    """count_calls counts right on hidden models: a nested module that returns a tuple, run several times"""
    for key, hidden_run in HIDDEN_RUNS.items():
        verdict = compare_count(hidden_run.called, s, r, key, count_diagnosis(s, r, key, hidden=True), hidden=True)
        if not verdict.passed:
            return verdict
    return ok(_("Your counts match the reference's on the hidden models."))


@exercise.check(points=1, concept="forward", needs=HIDDEN_KEYS, hidden=True)
def hidden_outputs(s: Observations, r: Observations) -> Verdict:
    """count_calls returns the hidden models' outputs, in train() and in eval() mode"""
    for key, hidden_run in HIDDEN_RUNS.items():
        called = hidden_run.called
        yours, _count, problem = unpack(s[key])
        if problem:
            return fail(_("Called {called}: {problem}.").format(called=called, problem=problem))
        verdict = compare_outputs(called, yours, unpack(r[key])[0], hidden=True)
        if not verdict.passed:
            mode = ran_in_another_mode(s, r, key)
            return fail(verdict.message, mode) if mode else verdict
    return ok(_("Your outputs match the reference's on the hidden models."))


@exercise.check(points=1, concept="autograd", needs=tuple(f"{key}/gradients" for key in GRADIENT_KEYS), hidden=True)
def hidden_gradients(s: Observations, r: Observations) -> Verdict:
    """The outputs are part of the autograd graph exactly when the caller's are, with the reference's gradients"""
    for key in GRADIENT_KEYS:
        called = HIDDEN_RUNS[key].called
        verdict = compare_gradients(
            called,
            s[f"{key}/gradients"],
            r[f"{key}/gradients"],
            hidden=True,
            output_matches=outputs_match(s, r, key),
            hint=ran_in_another_mode(s, r, key) or ran_with_other_autograd(s, r, key),
        )
        if not verdict.passed:
            return verdict
    return ok(_("On the hidden models, your outputs carry the reference's gradients, and none under torch.no_grad()."))


@exercise.check(
    points=1,
    concept="evaluation",
    needs=("hidden_model_run", *(f"{key}/modes_after" for key in HIDDEN_KEYS)),
    hidden=True,
)
def hidden_leaves_mode(s: Observations, r: Observations) -> Verdict:
    """count_calls leaves a hidden model in eval() mode in eval() mode"""
    for key, hidden_run in HIDDEN_RUNS.items():
        called = hidden_run.called
        verdict = compare_modes(called, s[f"{key}/modes_after"], r[f"{key}/modes_after"], _(LEAVE_MODE), hidden=True)
        if not verdict.passed:
            return verdict
    return ok(_("count_calls left every hidden model's modules in the mode it found them in."))


exercise.claims = (
    Claim("So always call ``model(x)``.", ("counts_model_calls", "runs_existing_hooks")),
    Claim("so a counting hook returns nothing.", ("outputs", "hidden_outputs")),
    Claim("Write ``count_calls(model, module, batches)``", ("counts_model_calls", "counts_layer_calls")),
    Claim(
        "register a forward hook on ``module`` (``model`` itself or one of its submodules) that counts how many "
        "times the module runs;",
        ("counts_model_calls", "counts_layer_calls", "hidden_counts"),
    ),
    Claim(
        "call ``model(x)`` for each ``x`` in ``batches``, in order;",
        ("outputs", "runs_existing_hooks", "hidden_outputs"),
    ),
    Claim("remove your hook, and only yours, before returning", ("removes_hook", "removes_hook_on_error")),
    Claim(
        "also if the model raises (``try`` / ``finally``), whose error then reaches your caller;",
        ("removes_hook_on_error",),
    ),
    Claim(
        "the list of the model's outputs, one per batch, as ``model(x)`` returns them",
        ("outputs", "gradients", "hidden_outputs"),
    ),
    Claim(
        "the number of times ``module`` ran during *this* call of ``count_calls`` (an int).",
        ("counts_model_calls", "counts_layer_calls", "count_again", "hidden_counts"),
    ),
    Claim(
        "Change nothing else: the model runs in the mode (``train()`` or ``eval()``) and under the autograd setting",
        ("leaves_mode", "hidden_leaves_mode", "hidden_outputs", "hidden_gradients"),
    ),
    Claim("and stays in that mode.", ("leaves_mode", "hidden_leaves_mode")),
    Claim(
        "So its outputs stay part of the autograd graph when your caller's are",
        ("gradients", "hidden_gradients"),
    ),
    Claim("a layer that the model uses twice is counted twice.", ("counts_layer_calls", "hidden_counts")),
    Claim(
        "``module`` may sit anywhere in the model's tree (say in an ``nn.Sequential`` inside an ``nn.ModuleDict``)",
        ("hidden_counts", "hidden_outputs"),
    ),
    Claim("what it returns need not be a tensor (a tuple, say): count its calls all the same.", ("hidden_counts",)),
    Claim(
        ">>> outputs, count = count_calls(model, shared, [torch.zeros(1, 4), torch.zeros(3, 4)])",
        ("counts_layer_calls", "outputs"),
    ),
    Claim(">>> count_calls(model, model, [torch.zeros(1, 4)])[1]", ("counts_model_calls",)),
    Claim("len(shared._forward_hooks), len(model._forward_hooks) # nothing left behind", ("removes_hook",)),
    Claim(
        "Run model(x) for each x in batches; return (outputs, how many times module ran).",
        ("outputs", "counts_model_calls"),
    ),
)
exercise.prose = (
    "Exercise 04 — ``model(x)`` runs hooks, ``model.forward(x)`` does not.",
    "Calling a module, ``model(x)``, goes through ``nn.Module.__call__``",
    "Calling ``model.forward(x)`` directly runs ``forward`` alone",
    "A forward hook is a function ``hook(module, inputs, output)``",
    "returns a *handle*, and the hook stays attached until ``handle.remove()`` is called",
    "A hook that returns something other than None replaces the module's output with it",
    "A forward pre-hook (``register_forward_pre_hook``) counts just as well.",
)
