"""ex10 — save and load model and optimizer state; training resumes bit for bit."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from graders.checks import count, describe, identical, is_mapping, listed, named_parts
from graders.i18n import N_, Phrase, _
from graders.probe import Probe, mlp, named_tensors, type_name, varied
from graders.spec import Claim, Exercise, Hint, Observations, Verdict, fail, ok

exercise = Exercise(
    id="ex10_checkpoint",
    preload=("torch._dynamo",),  # the probe trains with torch.optim
    title=N_("Checkpoints: save training, and resume it exactly"),
    hints=(
        Hint(
            N_(
                "Save plain data, not objects: one dict holding the model's state_dict(), the optimizer's state_dict() "
                "and the step. A pickled model or optimizer object cannot be read with weights_only=True."
            ),
            checks=("loads_safely", "file_layout"),
        ),
        Hint(
            N_(
                "load_checkpoint reads the file with weights_only=True, hands each saved state_dict to the "
                "load_state_dict of the model and of the optimizer it was given, and returns the saved step."
            ),
            checks=("model_restored", "step_restored", "optimizer_restored", "hidden_restores"),
        ),
        Hint(
            N_(
                "weights_only=True is what makes loading safe: a file that holds pickled objects must be refused, not "
                "read with weights_only=False."
            ),
            checks=("refuses_pickles",),
        ),
        Hint(
            N_(
                "Resuming exactly needs everything that decides the next steps: the model's whole state (buffers "
                "too), the optimizer's state (Adam's running averages, SGD's momentum), and a model left in the mode "
                "it was in."
            ),
            checks=("resumes_identically", "hidden_resume"),
        ),
    ),
    error_hints={
        "Missing key(s) in state_dict": (
            N_(
                "model.load_state_dict wants the model's own state_dict, the checkpoint's 'model' entry, not the whole "
                "checkpoint."
            )
        ),
        "Weights only load failed": (
            N_(
                "The file holds pickled objects, which torch.load(weights_only=True) refuses: save the state_dicts of "
                "the model and the optimizer, not the objects themselves."
            )
        ),
        "object has no attribute 'state_dict'": (
            N_(
                "checkpoint['model'] is already a state_dict (a dict of tensors), not a model: hand it to the model's "
                "load_state_dict as it is."
            )
        ),
        "No such file or directory": N_("Save to, and load from, exactly the path you are given."),
    },
)


PATH = "checkpoint.pt"  # where save_checkpoint writes: the checks on the file, and the resumed training
GIVEN_PATH = "given.pt"  # a checkpoint the grader writes, for the checks on load_checkpoint alone
UNSAFE_PATH = "unsafe.pt"  # the same layout with a pickled call in it
MARKER = "made-by-unpickling"  # the folder that call makes, if anything unpickles the file
PUBLIC_SIZES = (5, 8, 3)
BATCH = 6
BEFORE, AFTER = 3, 3  # training steps before the checkpoint, and after resuming
HIDDEN_BEFORE = (1, 2, 4)  # the step saved, never the public one
HIDDEN_AFTER = 2
ADAM_LR = 0.01
KEYS = ["model", "optimizer", "step"]
SAVE = f"save_checkpoint({PATH!r}, model, optimizer, step={BEFORE})"
GIVEN_CALL = f"load_checkpoint({GIVEN_PATH!r}, model, optimizer)"
GIVEN = Phrase(N_("{called}, on a checkpoint in the fixed layout that we wrote,"), called=GIVEN_CALL)
UNSAFE = Phrase(
    N_("{called} on a file in the fixed layout whose 'step' is a pickled call, {call}"),
    called=f"load_checkpoint({UNSAFE_PATH!r}, model, optimizer)",
    call=f"os.mkdir({MARKER!r})",
)
RESUME = Phrase(
    N_(
        "{before} Adam steps, your save_checkpoint, your load_checkpoint into a fresh model and optimizer, then "
        "{after} more steps, compared with {steps} steps that never stopped"
    ),
    before=BEFORE,
    after=AFTER,
    steps=BEFORE + AFTER,
)
HIDDEN = Phrase(
    N_(
        "a hidden model (nested containers, a BatchNorm and its buffers, a layer used twice, a parameter on the "
        "model itself, a frozen and an unused layer) trained with SGD and momentum, saved at another step to "
        "another path"
    )
)
HIDDEN_LOAD = Phrase(
    N_("save_checkpoint, then load_checkpoint into a fresh model and optimizer, on {model}"), model=HIDDEN
)
HIDDEN_RESUME = Phrase(N_("{load}, then more steps, compared with training that never stopped"), load=HIDDEN_LOAD)


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


def checkpoint_of(model: nn.Module, optimizer: torch.optim.Optimizer, step: Any) -> dict[str, Any]:
    return {"model": model.state_dict(), "optimizer": optimizer.state_dict(), "step": step}


def adam(model: nn.Module) -> torch.optim.Optimizer:
    return torch.optim.Adam(model.parameters(), lr=ADAM_LR)


def public_run(p: Probe, weights: str) -> tuple[nn.Module, torch.optim.Optimizer]:
    model = mlp(PUBLIC_SIZES)
    p.fill_parameters(model, weights)
    return model, adam(model)


class PickledCall:
    """Pickles as a call of os.mkdir(MARKER): whatever unpickles the file runs it, and the folder shows it."""

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return os.mkdir, (MARKER,)


def unpickles(load_checkpoint: Callable[..., Any], *args: Any) -> dict[str, Any]:
    """Whether load_checkpoint ran the call pickled in the file, and what it raised, if anything."""
    try:
        load_checkpoint(*args)
        raised = None
    except NotImplementedError:
        raise
    except Exception as error:
        raised = type(error).__name__
    return {"ran": os.path.isdir(MARKER), "raised": raised}


def observe_load(
    p: Probe, key: str, called: str | Phrase, load_checkpoint: Callable[..., Any], path: str, run: Any
) -> None:
    """load_checkpoint into a fresh (model, optimizer); records what it returned (``key``), and afterwards the
    model's state, the optimizer's state and whether the model is in training mode."""
    model, optimizer = run
    p.observe(key, called, load_checkpoint, path, model, optimizer)
    p.record(f"{key}_model", named_tensors(model, "state_dict"))
    p.observe(f"{key}_optimizer", _("optimizer.state_dict() after load_checkpoint"), optimizer_state, optimizer)
    p.record(f"{key}_training", model.training)


@exercise.probe
def probe(p: Probe) -> None:
    save_checkpoint = p.require("save_checkpoint")
    load_checkpoint = p.require("load_checkpoint")
    batches = p.batches("train", BEFORE + AFTER, BATCH, PUBLIC_SIZES[0], PUBLIC_SIZES[-1])

    model, optimizer = public_run(p, "weights")
    train(model, optimizer, batches[:BEFORE])
    p.record("saved_model", named_tensors(model, "state_dict"))
    p.record("saved_optimizer", optimizer_state(optimizer))
    torch.save(checkpoint_of(model, optimizer, BEFORE), GIVEN_PATH)
    torch.save(checkpoint_of(model, optimizer, PickledCall()), UNSAFE_PATH)

    with p.section():  # save_checkpoint, then training that never stops: what resuming must give
        p.observe("save", SAVE, save_checkpoint, PATH, model, optimizer, BEFORE)
        p.record("file", read_checkpoint(PATH))
        # Only the reference's run of this is judged; the student's save may have changed what it was given.
        p.call("uninterrupted", _("training on after save_checkpoint"), train, model, optimizer, batches[BEFORE:])
        p.record("uninterrupted", named_tensors(model))

    with p.section():  # load_checkpoint alone, on the grader's own checkpoint
        fresh = public_run(p, "fresh-weights")
        p.record("fresh_model", named_tensors(fresh[0], "state_dict"))
        called = _("{called} with a fresh model and Adam optimizer").format(called=GIVEN)
        observe_load(p, "load", called, load_checkpoint, GIVEN_PATH, fresh)

    with p.section():
        p.observe("refuses", UNSAFE, unpickles, load_checkpoint, UNSAFE_PATH, *public_run(p, "fresh-weights"))

    with p.section():  # the student's file, loaded by the student's code, and training goes on
        resumed = public_run(p, "fresh-weights")
        called = _("{called} with a fresh model and Adam optimizer").format(
            called=f"load_checkpoint({PATH!r}, model, optimizer)"
        )
        observe_load(p, "resume_load", called, load_checkpoint, PATH, resumed)
        p.call(
            "resume",
            _("{steps} more training steps after load_checkpoint").format(steps=AFTER),
            train,
            *resumed,
            batches[BEFORE:],
        )
        p.record("resume", AFTER)
        p.record("resumed", named_tensors(resumed[0]))

    if p.hidden:
        features, classes = (
            p.randint("hidden/features", 2, 6, secret=True),
            p.randint("hidden/classes", 2, 5, secret=True),
        )
        before = p.choice("hidden/before", HIDDEN_BEFORE, secret=True)
        lr = p.randint("hidden/lr", 1, 4, secret=True) / 50
        path = f"run-{p.randint('hidden/path', 10, 99, secret=True)}.pth"
        batches = p.batches("hidden/train", before + HIDDEN_AFTER, BATCH, features, classes, secret=True)

        def hidden_run(weights: str) -> tuple[nn.Module, torch.optim.Optimizer]:
            model = varied(p, "hidden/model", features, classes, weights)
            return model, torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, weight_decay=1e-3)

        model, optimizer = hidden_run("hidden/weights")
        p.record("hidden_kinds", model.kinds())
        train(model, optimizer, batches[:before])
        p.record("hidden_before", before)
        p.record("hidden_saved_model", named_tensors(model, "state_dict"))
        p.record("hidden_saved_optimizer", optimizer_state(optimizer))
        with p.section():
            p.observe("hidden_save", HIDDEN_LOAD, save_checkpoint, path, model, optimizer, before)
            p.call(
                "hidden_uninterrupted",
                _("training on after save_checkpoint"),
                train,
                model,
                optimizer,
                batches[before:],
            )
            p.record("hidden_uninterrupted", named_tensors(model))
        with p.section():
            resumed = hidden_run("hidden/fresh-weights")
            p.record("hidden_fresh_model", named_tensors(resumed[0], "state_dict"))
            observe_load(p, "hidden_load", HIDDEN_LOAD, load_checkpoint, path, resumed)
            p.call("hidden_resume", HIDDEN_RESUME, train, *resumed, batches[before:])
            p.record("hidden_resume", HIDDEN_AFTER)
            p.record("hidden_resumed", named_tensors(resumed[0]))


# -- the checks ---------------------------------------------------------------------------------


def differing(yours: Any, reference: Mapping[str, torch.Tensor]) -> list[str]:
    """The names whose tensors are not bit for bit the reference's."""
    yours = yours if is_mapping(yours) else {}
    return [name for name, tensor in reference.items() if not identical(yours.get(name), tensor)]


@exercise.check(points=2, concept="checkpoints", needs=("save", "file"))
def loads_safely(s: Observations, r: Observations) -> Verdict:
    """torch.load(path, weights_only=True) reads the file save_checkpoint wrote"""
    file = s["file"]
    called = _("{save}, then torch.load({path!r}, weights_only=True)").format(save=SAVE, path=PATH)
    if file.get("loaded"):
        return ok(_("Called {called}: your checkpoint loads safely.").format(called=called))
    if file.get("missing"):
        return fail(
            _("Called {called}: there was no file at {path!r}.").format(called=called, path=PATH),
            _("Write the checkpoint to exactly the path you are given."),
        )
    if file.get("global"):
        return fail(
            _(
                "Called {called}: torch.load refused your file, because it holds a pickled {kind} object "
                "(weights_only=True loads only tensors and plain containers)."
            ).format(called=called, kind=file["global"]),
            _(
                "Save state_dicts, not objects: one dict of the model's and the optimizer's state_dict() and the "
                "step. Loading pickled objects needs weights_only=False, which can run any code hidden in the file."
            ),
        )
    return fail(
        _("Called {called}: torch.load could not read your file ({error}).").format(
            called=called, error=file.get("error")
        ),
        _("Write the checkpoint with torch.save, and nothing else to that file."),
    )


@exercise.check(points=1, concept="checkpoints", needs=("save", "file"))
def file_layout(s: Observations, r: Observations) -> Verdict:
    """The checkpoint is a dict with "model", "optimizer" and "step", holding the two state_dicts and the int step"""
    file, expected = s["file"], r["file"]
    if not file.get("loaded"):
        return fail(
            _(
                "Your checkpoint could not be read with weights_only=True (see the check above), so neither could "
                "its contents."
            )
        )
    if file.get("keys") is None:
        return fail(
            _("Your checkpoint holds a {yours}; the reference's is a dict with keys {keys}.").format(
                yours=file.get("type"), keys=KEYS
            ),
            _("Save one dict with the keys 'model', 'optimizer' and 'step'."),
        )
    if sorted(file["keys"]) != sorted(KEYS):
        return fail(
            _("Your checkpoint is a dict with keys {yours}; the reference's has exactly {keys}.").format(
                yours=file["keys"], keys=KEYS
            ),
            _("The layout is fixed so that other code can read your checkpoints: use these three keys."),
        )
    for key, what in (("model", _("the model's state_dict")), ("optimizer", _("the optimizer's state_dict"))):
        if file.get(f"{key}_keys") != expected[f"{key}_keys"]:
            return fail(
                _(
                    "Your checkpoint's {key!r} entry holds {yours}; the reference's holds {what}, with keys {keys}."
                ).format(key=key, yours=describe(file.get(f"{key}_keys")), what=what, keys=expected[f"{key}_keys"]),
                _("Store {what} under {key!r}.").format(what=what, key=key),
            )
    if not identical(file.get("step"), expected["step"]):
        return fail(
            _("Your checkpoint's 'step' is {yours}; the reference's is the int {step}.").format(
                yours=describe(file.get("step")), step=BEFORE
            ),
            _("Store the step you are given, as it is."),
        )
    return ok(_("Your checkpoint is a dict with the model's and the optimizer's state_dicts and the step."))


def model_problem(
    called: str | Phrase,
    yours: Any,
    saved: Mapping[str, Any],
    fresh: Mapping[str, Any],
    kinds: Mapping[str, str] | None = None,
) -> Verdict | None:
    """What the model's state after load_checkpoint shows, or None if it is the saved one. ``kinds``: a hidden
    model's, which word its parts instead of naming them."""
    wrong = differing(yours, saved)
    if not wrong:
        return None
    hint = _(
        "A model's state_dict() holds every parameter and every buffer, wherever it sits: save it whole, and load "
        "it whole into the model you are given, with its load_state_dict."
    )
    untouched = [name for name in wrong if name not in differing(yours, fresh)]
    if len(untouched) == len(saved):
        return fail(
            _(
                "Called {called}: the model still has the fresh model's values, every one: nothing was loaded into it."
            ).format(called=called),
            hint,
        )
    parts = named_parts(wrong, kinds)
    if kinds is None and len(untouched) == len(wrong):
        message = _("Called {called}: these still have the fresh model's values, not the saved ones: {parts}.")
    else:
        message = _("Called {called}: these parts of the model's state are not the saved ones: {parts}.")
    return fail(message.format(called=called, parts=parts), hint)


@exercise.check(points=2, concept="checkpoints", needs=("load", "load_model"))
def model_restored(s: Observations, r: Observations) -> Verdict:
    """load_checkpoint puts the saved state, bit for bit, into a fresh model"""
    called = _("{given} with a fresh model").format(given=GIVEN)
    return model_problem(called, s["load_model"], r["saved_model"], r["fresh_model"]) or ok(
        _("Called {called}: the model holds exactly the saved state.").format(called=called)
    )


@exercise.check(points=1, concept="checkpoints", needs=("load",))
def step_restored(s: Observations, r: Observations) -> Verdict:
    """load_checkpoint returns the step that was saved"""
    if type(s["load"]) is int and s["load"] == r["load"]:
        return ok(_("load_checkpoint returned {step}, the saved step.").format(step=BEFORE))
    return fail(
        _("Called {given} saved at step {step}: yours returned {yours}; the reference returns the int {step}.").format(
            given=GIVEN, step=BEFORE, yours=describe(s["load"])
        ),
        _("Return the checkpoint's 'step' entry."),
    )


def optimizer_problem(yours: Any, reference: Mapping[str, Any]) -> str | None:
    """What the optimizer's state after load_checkpoint shows, or None if it is the saved one."""
    if not is_mapping(yours) or not is_mapping(yours.get("state")):
        return _("we could not read your optimizer's state.")
    if not yours["state"] and reference["state"]:
        return _(
            "the optimizer is as fresh as it was built, with no per-parameter state at all: what it kept for each "
            "parameter (Adam's step counts and running averages, SGD's momentum) is gone."
        )
    if not identical(yours["state"], reference["state"]):
        return _("its per-parameter state (Adam's running averages, SGD's momentum) differs from the saved one.")
    if not identical(yours.get("param_groups"), reference["param_groups"]):
        return _("its settings (param_groups: lr, betas, ...) differ from the saved ones.")
    return None


@exercise.check(points=2, concept="checkpoints", needs=("load", "load_optimizer"))
def optimizer_restored(s: Observations, r: Observations) -> Verdict:
    """load_checkpoint restores the optimizer's state (Adam's running averages) bit for bit"""
    problem = optimizer_problem(s["load_optimizer"], r["saved_optimizer"])
    called = _("{given} with a fresh Adam optimizer").format(given=GIVEN)
    if problem is None:
        return ok(_("Called {called}: the optimizer's state is exactly the saved one.").format(called=called))
    return fail(
        _("Called {called}: afterwards {problem}").format(called=called, problem=problem),
        _("Hand the checkpoint's 'optimizer' entry to the load_state_dict of the optimizer you are given."),
    )


@exercise.check(points=1, concept="checkpoints", needs=("refuses",))
def refuses_pickles(s: Observations, r: Observations) -> Verdict:
    """load_checkpoint refuses a file that holds a pickled object, as torch.load(weights_only=True) does"""
    seen = s["refuses"]
    if not seen.get("ran"):
        return ok(_("Called {called}: yours did not run what the file holds.").format(called=UNSAFE))
    then = _("then raised {error}").format(error=seen["raised"]) if seen.get("raised") else _("then returned normally")
    return fail(
        _(
            "Called {called}: while yours read the file, the pickled call ran (the folder {marker!r} appeared), and "
            "yours {then}. The reference refuses such a file: torch.load(weights_only=True) raises an "
            "UnpicklingError instead of running anything."
        ).format(called=UNSAFE, marker=MARKER, then=then),
        _(
            "Read checkpoints with weights_only=True: unpickling an object can run any code the file brings, and "
            "a checkpoint of state_dicts needs no objects."
        ),
    )


@exercise.check(points=2, concept="checkpoints", needs=("save", "resume_load", "resume", "resumed"))
def resumes_identically(s: Observations, r: Observations) -> Verdict:
    """Training saved after 3 steps, resumed and run 3 more equals 6 uninterrupted steps, bit for bit"""
    wrong = differing(s["resumed"], r["uninterrupted"])
    if not wrong:
        return ok(_("Ran {called}: the weights are the same, bit for bit.").format(called=RESUME))
    model = model_problem(RESUME, s.get("resume_load_model"), r["saved_model"], r["fresh_model"])
    optimizer = optimizer_problem(s.get("resume_load_optimizer"), r["saved_optimizer"])
    if model is not None:
        hint = _("The model did not get its saved state back (see the check on restoring the model).")
    elif optimizer is not None and not isinstance((s.get("file") or {}).get("optimizer_keys"), list):
        hint = _(
            "The model's state came back, but your checkpoint holds no optimizer state: the fresh Adam starts its "
            "running averages from zero and takes other steps than the one that never stopped."
        )
    elif optimizer is not None:
        hint = _(
            "The model's state came back but the optimizer's did not: afterwards {problem} The fresh Adam then takes "
            "other steps than the one that never stopped."
        ).format(problem=optimizer)
    elif s.get("resume_load_training") is not True:
        hint = _("load_checkpoint left the model in eval mode; it was in training mode.")
    else:
        hint = None
    return fail(
        _("Ran {called}: {wrong} of {total} parameters differ ({names}).").format(
            called=RESUME, wrong=count(len(wrong)), total=count(len(r["uninterrupted"])), names=listed(wrong, 4)
        ),
        hint,
    )


@exercise.check(
    points=2,
    concept="checkpoints",
    needs=("hidden_save", "hidden_load", "hidden_load_model", "hidden_load_optimizer"),
    hidden=True,
)
def hidden_restores(s: Observations, r: Observations) -> Verdict:
    """Saved and loaded on a hidden model with buffers, trained with SGD and momentum: state and step come back"""
    if type(s["hidden_load"]) is not int or s["hidden_load"] != r["hidden_before"]:
        returned = _("an int, but not the saved one") if type(s["hidden_load"]) is int else describe(s["hidden_load"])
        return fail(
            _("Called {called}: load_checkpoint returned {returned}; the reference returns the int step saved.").format(
                called=HIDDEN_LOAD, returned=returned
            ),
            _("Save the step you are given and return it, whatever it is."),
        )
    verdict = model_problem(
        HIDDEN_LOAD, s["hidden_load_model"], r["hidden_saved_model"], r["hidden_fresh_model"], r["hidden_kinds"]
    )
    if verdict is not None:
        return verdict
    problem = optimizer_problem(s["hidden_load_optimizer"], r["hidden_saved_optimizer"])
    if problem is not None:
        return fail(
            _("Called {called}: afterwards {problem}").format(called=HIDDEN_LOAD, problem=problem),
            _("Save the optimizer's state_dict, whatever the optimizer, and load it into the one you are given."),
        )
    return ok(
        _("Called {called}: the model's state, the optimizer's and the step came back.").format(called=HIDDEN_LOAD)
    )


@exercise.check(points=1, concept="checkpoints", needs=("hidden_save", "hidden_load", "hidden_resumed"), hidden=True)
def hidden_resume(s: Observations, r: Observations) -> Verdict:
    """Resumed training of a hidden model with SGD and momentum matches training that never stopped"""
    if not differing(s["hidden_resumed"], r["hidden_uninterrupted"]):
        return ok(_("Ran {called}: the weights are the same, bit for bit.").format(called=HIDDEN_RESUME))
    message = _("Ran {called}: the resumed training differs from training that never stopped.").format(
        called=HIDDEN_RESUME
    )
    if differing(s.get("hidden_load_model"), r["hidden_saved_model"]) or optimizer_problem(
        s.get("hidden_load_optimizer"), r["hidden_saved_optimizer"]
    ):
        return fail(message, _("The saved state did not all come back (see the check on restoring it)."))
    if s.get("hidden_load_training") is not True:
        return fail(
            message,
            _(
                "load_checkpoint left the model in eval mode; it was in training mode. A BatchNorm in eval mode "
                "normalises with its running statistics instead of the batch's, so training goes another way."
            ),
        )
    return fail(message)


exercise.claims = (
    Claim("A checkpoint must hold everything that decides the next training steps", ("resumes_identically",)),
    Claim("``torch.load(path, weights_only=True)`` reads back safely", ("loads_safely",)),
    Claim("and so is the file's layout, because other code reads these files", ("file_layout",)),
    Claim("write with ``torch.save`` to ``path`` a dict with exactly three keys", ("loads_safely", "file_layout")),
    Claim("read the file with ``torch.load(path, weights_only=True)``", ("refuses_pickles",)),
    Claim(
        "load the saved states into the ``model`` and ``optimizer`` you are given",
        ("model_restored", "optimizer_restored", "hidden_restores"),
    ),
    Claim("and return the saved step", ("step_restored", "hidden_restores")),
    Claim("The model can be any ``nn.Module``: its state is its parameters and its buffers", ("hidden_restores",)),
    Claim("The optimizer can be any ``torch.optim`` optimizer.", ("hidden_restores", "hidden_resume")),
    Claim(
        "Training that is saved after k steps, loaded into a fresh model and optimizer and continued must give",
        ("resumes_identically", "hidden_resume"),
    ),
    Claim(">>> model = nn.Linear(3, 2)", ("file_layout", "step_restored")),
    Claim("**Save state_dicts, not objects.**", ("loads_safely",)),
    Claim('Do not "fix" that with ``weights_only=False``', ("refuses_pickles",)),
    Claim("**Save the optimizer too.**", ("optimizer_restored", "resumes_identically")),
    Claim("A fresh optimizer starts them from zero", ("optimizer_restored", "resumes_identically")),
    Claim('torch.save({"model": ..., "optimizer": ..., "step": step}, path)', ("file_layout",)),
    Claim("Load the checkpoint at path into model and optimizer; return the saved step.", ("model_restored",)),
)
exercise.prose = (
    "Exercise 10",
    "Long training runs are saved now and then",
    "Write two functions",
    "Two mistakes to avoid:",
    "pickles the whole object",
    "Since PyTorch 2.6",
)
