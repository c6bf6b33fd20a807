"""Sentences for a stuck student: what went wrong in their code, and what to try.

Two sources of trouble are explained here: an error the student's code raised (recorded by the
probe), and a worker that never reported back (a timeout, a crash, a limit hit).
"""

from __future__ import annotations

import re
import signal
from collections.abc import Mapping
from functools import cache
from typing import Any

from graders.engine.limits import Limits, describe_size
from graders.engine.protocol import Report
from graders.i18n import LANGUAGES, N_, _, translation
from graders.stubs import UNFINISHED

# Substring of "Type: message" -> hint. Exercises add their own (Exercise.error_hints).
GENERAL_HINTS: dict[str, str] = {
    "module 'torch.nn' has no attribute 'module'": N_(
        "nn.Module is spelled with a capital M: `class MyModel(nn.Module):`."
    ),
    "cannot assign module before Module.__init__() call": N_(
        "Call `super().__init__()` as the first line of `__init__`, before you assign any layer."
    ),
    "cannot assign parameter before Module.__init__() call": N_(
        "Call `super().__init__()` as the first line of `__init__`, before you assign any parameter."
    ),
    "cannot assign buffer before Module.__init__() call": N_(
        "Call `super().__init__()` as the first line of `__init__`, before you call register_buffer or assign "
        "any parameter."
    ),
    "missing 1 required positional argument: 'self'": N_(
        "Call the class to make an object: `MyModel()`, not `MyModel`."
    ),
    "object has no attribute '_modules'": N_(
        "nn.Module was not set up: call `super().__init__()` first in `__init__`."
    ),
    "object has no attribute '_parameters'": N_(
        "nn.Module was not set up: call `super().__init__()` first in `__init__`."
    ),
    "mat1 and mat2 shapes cannot be multiplied": N_(
        "A Linear layer's in_features must equal the size of the last dimension of its input; "
        "print the shape just before it."
    ),
    "optimizer got an empty parameter list": N_(
        "The model registers no parameters: layers kept in a plain Python list or dict are invisible to "
        "nn.Module. Use nn.ModuleList, nn.ModuleDict or nn.Sequential."
    ),
    "RecursionError": N_(
        "A function calls itself without end. A common cause: `forward` calling `self(x)`, which calls forward again."
    ),
    "element 0 of tensors does not require grad": N_(
        "backward() needs a result computed from tensors that require grad: is something frozen, detached "
        "or computed under torch.no_grad()?"
    ),
}

# What the probe was doing, when it was not running the student's code (``describe_call``): said in
# words, not quoted as code. The worker says them in the student's language (``IMPORTING`` and the rest).
IMPORTING = N_("importing your file")
ACTIONS = ("importing", "reading", "looking up", "counting", "loading", "sending", "running")
# The errors Python raises before any of the code runs, each named with the article it takes.
PARSE_ERRORS = {
    "SyntaxError": N_("a SyntaxError"),
    "IndentationError": N_("an IndentationError"),
    "TabError": N_("a TabError"),
}
# An engine that could not run at all: the same words wherever a command grades.
ENGINE_FAILED = N_("The grader could not run (this is not your fault): {failure}")
# The fields of an error record that explanations read, and the type each must have.
ERROR_FIELDS: dict[str, type] = {"type": str, "message": str, "called": str, "code": str, "where": str, "line": int}


def error_record(raw: object) -> dict[str, Any]:
    """An error record as a worker sent it, reduced to the fields explanations read, each of its type
    (a field of another type is left out), and ``defined`` to the names in it. A submission can
    write whatever its worker sends: nothing of a record is trusted before this."""
    fields = raw if isinstance(raw, dict) else {}
    record = {name: fields[name] for name, kind in ERROR_FIELDS.items() if type(fields.get(name)) is kind}
    defined = fields.get("defined")
    if type(defined) is list:
        record["defined"] = [name for name in defined if type(name) is str]
    return record


def position(error: Mapping[str, Any]) -> str:
    """Where an error happened: "line 7 of your file", or in a notebook "code cell 4, line 2"."""
    return error.get("where") or _("line {line} of your file").format(line=error["line"])


def sentence(text: str) -> str:
    """``text`` starting with a capital, unless it starts with code (``count_calls``, ``model(x)``)."""
    if re.match(r"[a-z]+(?![\w(.\[])", text):
        return text[0].upper() + text[1:]
    return text


def located(error: Mapping[str, Any]) -> str:
    if not error.get("line"):
        return ""
    code = f": `{error['code'].strip()}`" if error.get("code") else ""
    return f" ({position(error)}{code})"


def hint_for(text: str, extra: Mapping[str, str]) -> str | None:
    for needle, hint in (*extra.items(), *GENERAL_HINTS.items()):
        if needle in text:
            return _(hint)
    return None


@cache
def unfinished_patterns() -> tuple[re.Pattern[str], ...]:
    """The message of an untouched stub's ``raise NotImplementedError``, in every language stubs are made in."""
    templates = {translation(language).gettext(UNFINISHED) for language in LANGUAGES}
    names = r"(?P<function>[\w.<>]+)"
    return tuple(re.compile(re.escape(template).replace(re.escape("{function}"), names)) for template in templates)


def unfinished_function(error: Mapping[str, Any]) -> str | None:
    """The function an untouched stub's ``raise NotImplementedError`` names, in whichever language the
    stub was written (``stubs.UNFINISHED``); "" for nbgrader's, which names none; None for other errors."""
    if error.get("type") != "NotImplementedError":
        return None
    message = str(error.get("message", ""))
    if not message:  # nbgrader's stub: `raise NotImplementedError()`
        return ""
    found = (pattern.fullmatch(message) for pattern in unfinished_patterns())
    return next((match.group("function") for match in found if match), None)


def explain_error(
    error: Mapping[str, Any],
    extra_hints: Mapping[str, str] = {},
    limits: Limits | None = None,
    hidden: bool = False,
) -> str:
    """One error the probe recorded (validated by ``error_record``), as a sentence. ``hidden`` omits
    the error's own text, which may quote a hidden input's size."""
    kind, message, called = error.get("type", "Error"), str(error.get("message", "")), error.get("called", "")
    if kind == "MissingName":
        defined = error.get("defined") or []
        found = _(" It defines: {names}.").format(names=", ".join(defined)) if defined else ""
        return _(
            "Your file defines no `{name}`.{defined} Names are case-sensitive: did you misname it, "
            "or is it still missing?"
        ).format(name=message, defined=found)
    if kind in ("WrongKind", "NotAModule", "NotATensor", "UnreadableFile") or kind.startswith("Probe:"):
        return f"{sentence(message)}." if message else f"{called}: {kind}."
    if kind in PARSE_ERRORS:
        code = f"\n    {error['code'].strip()}" if error.get("code") else ""
        if error.get("where"):
            return _("Your notebook has {error} in {where}: {message}.{code}").format(
                error=_(PARSE_ERRORS[kind]), where=error["where"], message=message, code=code
            )
        return _("Your file has {error} on line {line}: {message}.{code}").format(
            error=_(PARSE_ERRORS[kind]), line=error.get("line"), message=message, code=code
        )
    function = unfinished_function(error)
    if function is not None:
        if function:
            unfinished = _("`{function}` is not implemented yet").format(function=function)
        else:
            unfinished = _("{call} reached code that is not implemented yet").format(call=describe_call(called))
        where = error.get("where") or _("line {line}").format(line=error.get("line"))
        line = f" ({where})" if error.get("line") else ""
        return _("{unfinished}{line}: replace the `raise NotImplementedError` with your code.").format(
            unfinished=sentence(unfinished), line=line
        )
    if kind == "SystemExit":
        return _(
            "Your code called sys.exit() or exit() while {call}{where}. "
            "Remove it: the grader needs your code to return normally."
        ).format(call=describe_call(called), where=located(error))
    if kind == "KeyboardInterrupt":
        return _("Your code raised KeyboardInterrupt while {call}{where}.").format(
            call=describe_call(called), where=located(error)
        )
    raised = _("{kind}: {message}").format(kind=kind, message=message) if message and not hidden else kind
    if limits and "can't allocate memory" in message:
        hint = _("Your code asked for more memory than the {memory} the grader allows.").format(
            memory=describe_size(limits.memory_bytes)
        )
    elif limits and "File too large" in message:
        hint = _("The grader lets your code write files of up to {size}.").format(size=describe_size(limits.file_bytes))
    else:
        hint = hint_for(f"{kind}: {message}", extra_hints)
    if called:
        said = _("While {call}, your code raised {error}{where}.").format(
            call=describe_call(called), error=raised, where=located(error)
        )
    else:
        said = _("Your code raised {error}{where}.").format(error=raised, where=located(error))
    return _("{message} Hint: {hint}").format(message=said, hint=hint) if hint else said


def describe_call(called: str) -> str:
    """What the probe was doing, as a phrase: code it ran is quoted ("running `model(x)`"); what the
    grader itself did (``ACTIONS``), and anything the worker said in the student's language, is not."""
    if not called:
        return _("running")
    if not is_code(called):
        return called
    return _("running `{called}`").format(called=called)


def is_code(called: str) -> bool:
    """Whether what the probe was doing is code it ran, rather than words for what it did."""
    return bool(called) and called.isascii() and not called.startswith(ACTIONS)


def explain_outcome(report: Report, limits: Limits, problem: str | None) -> str:
    """Why a worker left no usable observations, in the student's terms. What each status means is
    the engine's (``supervision``): the CPU limit stops a job that computes too long, the clock one
    that waits (sleeps, blocks) too long; a job the zygote did not stop ended by itself."""
    where = describe_call(report.stage) if report.stage else _("starting")
    if report.status == "cpu":
        if report.stage == _(IMPORTING):
            guess = _("is there an infinite loop or a long computation at the top level of your file?")
        elif is_code(report.stage):
            guess = _("does `{called}` loop forever?").format(called=report.stage)
        else:
            guess = _("does your code loop forever?")
        return _("Stopped after {seconds} s of CPU time while {where}: {guess}").format(
            seconds=limits.cpu_seconds, where=where, guess=guess
        )
    if report.status == "timeout":
        return _(
            "Stopped after {seconds} s of waiting while {where}: your code was not computing but waiting for "
            "something that did not come, such as time.sleep(), input(), a lock, or a thread or process that "
            "does not end."
        ).format(seconds=f"{limits.wall_seconds:g}", where=where)
    if report.status == "memory":
        return _(
            "Stopped while {where}: your code used more than {memory} of memory. Are you building a very large "
            "tensor, or keeping results in a list that grows without end?"
        ).format(where=where, memory=describe_size(limits.memory_bytes))
    if report.status == "engine_error":
        return _("The grader itself failed while grading your file; this is not your fault. Please tell your TA.")
    if report.signal is not None:
        if report.max_rss_bytes > limits.memory_bytes or report.signal == signal.SIGKILL:
            return _(
                "Stopped while {where}: the process running your code was killed, as the system kills one that "
                "takes too much memory. Does your code need more than the {memory} the grader allows?"
            ).format(where=where, memory=describe_size(limits.memory_bytes))
        if report.signal == signal.SIGSEGV:
            return _(
                "Crashed with a segmentation fault while {where}. Deep recursion (with a raised recursion limit) "
                "or a call into native code that went wrong can do this."
            ).format(where=where)
        name = signal.Signals(report.signal).name if report.signal in signal.Signals._value2member_map_ else ""
        return _("Crashed: the process running your code died of signal {number} {name} while {where}.").format(
            number=report.signal, name=name, where=where
        )
    if problem:
        return _(
            "Your code interfered with the grader's data ({problem}) while {where}. Do not write to the grader's "
            "file descriptors or replace its functions."
        ).format(problem=problem, where=where)
    return _(
        "Your code ended the grading process early (exit status {status}) while {where}, before the grader got "
        "your results. Remove calls to os._exit() from your file, and leave the grader's files and functions alone."
    ).format(status=report.exit_code, where=where)
