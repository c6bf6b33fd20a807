"""What an exercise is: a probe that gathers observations, and checks that judge them.

A grader spec (one file per exercise in ``graders/exercises/``) builds one ``Exercise`` and
decorates its probe and its checks::

    exercise = Exercise(id="ex01_my_model", title="...", hints=(...))

    @exercise.probe
    def probe(p: Probe) -> None:          # runs in the sandboxed child, on student or reference
        ...

    @exercise.check(points=2, needs=("output",))
    def output_shape(s: Observations, r: Observations) -> Verdict:   # runs in the trusted parent
        ...

The probe runs the same way on the student's file and on the reference solution; a check only
ever sees plain data from both, so nothing the student's code does can reach the judging.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from graders.probe import Probe

Visibility = Literal["public", "hidden"]


@dataclass(frozen=True)
class Verdict:
    """A check's outcome: passed or not, and a sentence for the student."""

    passed: bool
    message: str


def ok(message: str) -> Verdict:
    return Verdict(True, message)


def fail(message: str, hint: str | None = None) -> Verdict:
    return Verdict(False, f"{message} Hint: {hint}" if hint else message)


class Observations(Mapping[str, Any]):
    """The plain data one probe run recorded: values, and errors keyed like values."""

    def __init__(
        self,
        values: Mapping[str, Any],
        errors: Mapping[str, Mapping[str, Any]],
        stopped_by: str | None = None,
        fatal: str | None = None,
    ):
        self.values = dict(values)
        self.errors = dict(errors)
        self.stopped_by = stopped_by  # the key whose error ended the probe early, if any
        self.fatal = fatal  # the key whose error means the exercise could not be graded at all

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def __iter__(self):
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)


CheckFunction = Callable[[Observations, Observations], Verdict]


@dataclass(frozen=True)
class Check:
    """One scored question about the student's code."""

    id: str
    title: str
    points: float
    visibility: Visibility
    needs: tuple[str, ...]
    judge: CheckFunction


@dataclass(frozen=True)
class Hint:
    """One step of progressive help; ``checks`` names the checks it helps with."""

    text: str
    checks: tuple[str, ...] = ()


@dataclass
class Exercise:
    """An exercise's grader: identity, help for the student, the probe and the checks."""

    id: str
    title: str
    hints: tuple[Hint, ...] = ()
    # Explanations for errors this exercise's students typically hit: substring of the
    # error text -> hint. Added to the engine's general ones (see graders/explain.py).
    error_hints: Mapping[str, str] = field(default_factory=dict)
    # Modules the engine imports once, before the first worker of this exercise, that would cost
    # every worker seconds otherwise: torch.optim pulls in torch._dynamo when it first steps.
    preload: tuple[str, ...] = ()
    checks: list[Check] = field(default_factory=list)
    run_probe: Callable[[Probe], None] | None = None

    @property
    def number(self) -> str:
        """The ``exNN`` prefix that ties a file to this exercise."""
        return self.id.split("_", 1)[0]

    @property
    def slug(self) -> str:
        return self.id.split("_", 1)[1]

    def probe(self, function: Callable[[Probe], None]) -> Callable[[Probe], None]:
        self.run_probe = function
        return function

    def check(
        self,
        points: float,
        needs: tuple[str, ...] = (),
        hidden: bool = False,
        title: str | None = None,
        id: str | None = None,
    ) -> Callable[[CheckFunction], CheckFunction]:
        """Register a check. Its id defaults to the function's name, its title to the first
        line of the docstring."""

        def register(function: CheckFunction) -> CheckFunction:
            check_id = id or function.__name__
            doc = (function.__doc__ or check_id).strip().splitlines()[0]
            if any(existing.id == check_id for existing in self.checks):
                raise ValueError(f"{self.id}: two checks are named {check_id!r}")
            self.checks.append(
                Check(
                    id=check_id,
                    title=title or doc,
                    points=float(points),
                    visibility="hidden" if hidden else "public",
                    needs=tuple(needs),
                    judge=function,
                )
            )
            return function

        return register

    def selected_checks(self, include_hidden: bool) -> list[Check]:
        return [c for c in self.checks if include_hidden or c.visibility == "public"]

    def max_score(self, include_hidden: bool) -> float:
        return sum(c.points for c in self.selected_checks(include_hidden))
