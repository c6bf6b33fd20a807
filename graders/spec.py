"""What an exercise is: a probe that gathers observations, and checks that judge them.

A grader spec (one file per exercise in ``graders/exercises/``) builds one ``Exercise`` and
decorates its probe and its checks::

    exercise = Exercise(id="ex01_my_model", title="...", hints=(...))

    @exercise.probe
    def probe(p: Probe) -> None:          # runs in the sandboxed child, on student or reference
        ...

    @exercise.check(points=2, concept="forward", needs=("output",))
    def output_shape(s: Observations, r: Observations) -> Verdict:   # runs in the trusted parent
        ...

    exercise.claims = (Claim("returns a tensor of shape (N, 20, H - 8, W - 8)", checks=("output_shape",)),)

The probe runs the same way on the student's file and on the reference solution; a check only
ever sees plain data from both, so nothing the student's code does can reach the judging. The
claims tie each sentence of the assignment that states a behaviour to the checks that test it
(``graders/assignment.py`` audits them).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from graders import concepts
from graders.i18n import N_, _

if TYPE_CHECKING:
    from graders.probe import Probe

Visibility = Literal["public", "hidden"]


@dataclass(frozen=True)
class Verdict:
    """A check's outcome: passed or not, and a sentence for the student."""

    passed: bool
    message: str
    unfinished: bool = False  # failed only because the code it needed is a stub's, not written yet


def ok(message: str) -> Verdict:
    return Verdict(True, message)


# A message that ends in a hint; a course whose policy shows no hints cuts it there (graders/policy.py).
HINT_SENTENCE = N_("{message} Hint: {hint}")


def fail(message: str, hint: str | None = None) -> Verdict:
    return Verdict(False, _(HINT_SENTENCE).format(message=message, hint=hint) if hint else message)


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


def numbered(key: str, count: int) -> tuple[str, ...]:
    """The keys ``key0``, ``key1``, ... of an observation recorded once per hidden input or model: as a
    probe records them, and as a check's ``needs`` names them."""
    return tuple(f"{key}{i}" for i in range(count))


CheckFunction = Callable[[Observations, Observations], Verdict]


@dataclass(frozen=True)
class CheckOutline:
    """A check as the people it grades know it: what it asks, for how many points, seen or hidden."""

    id: str
    title: str
    points: float
    visibility: Visibility
    concept: str  # the lecture's idea it tests: an id of graders/concepts.py


@dataclass(frozen=True)
class Check(CheckOutline):
    """One scored question about the student's code."""

    needs: tuple[str, ...]
    judge: CheckFunction


@dataclass(frozen=True)
class Claim:
    """A passage of the assignment that states a behaviour, and the checks that test it.

    ``text`` is quoted from the assignment (the stub's docstrings) as written, whitespace aside; it
    may be a whole sentence or the part of one that is distinctive.
    """

    text: str
    checks: tuple[str, ...]


@dataclass(frozen=True)
class Hint:
    """One step of progressive help; ``checks`` names the checks it helps with."""

    text: str
    checks: tuple[str, ...] = ()


@dataclass
class Outline:
    """What an exercise shows the people who do it: its title, its hints and its checks, as plain
    data. The learner's commands read it from a cache (``graders/catalog.py``) rather than import
    the spec, which imports torch."""

    id: str
    title: str
    hints: tuple[Hint, ...] = ()
    checks: list[CheckOutline] = field(default_factory=list)

    @property
    def number(self) -> str:
        """The ``exNN`` prefix that ties a file to this exercise."""
        return self.id.split("_", 1)[0]

    @property
    def slug(self) -> str:
        return self.id.split("_", 1)[1]

    def hint_order(self, failing: Sequence[str] | None = None) -> list[int]:
        """Indices of the hints in the order a stuck student should see them: those tied to the first
        failing check first, then those for the next one, and so on (``failing`` in check order).
        Without failing checks that any hint is tied to (unknown, all passing): the hints as written."""
        if failing:
            position = {check_id: index for index, check_id in enumerate(failing)}
            ranks = {
                index: min(position[check_id] for check_id in hint.checks if check_id in position)
                for index, hint in enumerate(self.hints)
                if any(check_id in position for check_id in hint.checks)
            }
            if ranks:
                return sorted(ranks, key=lambda index: (ranks[index], index))
        return list(range(len(self.hints)))

    def failing(self, passed: Mapping[str, bool]) -> list[str]:
        """The ids of the checks that did not pass, in the exercise's order of checks."""
        return [check.id for check in self.checks if check.id in passed and not passed[check.id]]

    def selected_checks(self, include_hidden: bool) -> list[CheckOutline]:
        return [c for c in self.checks if include_hidden or c.visibility == "public"]

    def max_score(self, include_hidden: bool) -> float:
        return sum(c.points for c in self.selected_checks(include_hidden))


@dataclass
class Exercise(Outline):
    """An exercise's grader: identity, help for the student, the probe and the checks."""

    checks: list[Check] = field(default_factory=list)
    # Explanations for errors this exercise's students typically hit: substring of the
    # error text -> hint. Added to the engine's general ones (see graders/explain.py).
    error_hints: Mapping[str, str] = field(default_factory=dict)
    # Modules the engine imports once, before the first worker of this exercise, that would cost
    # every worker seconds otherwise: torch.optim pulls in torch._dynamo when it first steps.
    preload: tuple[str, ...] = ()
    run_probe: Callable[[Probe], None] | None = None
    # The audit of the assignment (graders/assignment.py): every sentence of it is either a claim,
    # tested by checks, or prose that states no behaviour of the student's code (what PyTorch does,
    # why, the lecture's slips), quoted in part.
    claims: tuple[Claim, ...] = ()
    prose: tuple[str, ...] = ()

    def probe(self, function: Callable[[Probe], None]) -> Callable[[Probe], None]:
        self.run_probe = function
        return function

    def check(
        self,
        points: float,
        concept: str,
        needs: tuple[str, ...] = (),
        hidden: bool = False,
        title: str | None = None,
        id: str | None = None,
    ) -> Callable[[CheckFunction], CheckFunction]:
        """Register a check. Its id defaults to the function's name, its title to the first
        line of the docstring; ``concept`` is the lecture's idea it tests (graders/concepts.py)."""
        concepts.get(concept)

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
                    concept=concept,
                )
            )
            return function

        return register

    def outline(self) -> Outline:
        """The plain data of ``Outline``, without the probe's and the checks' code."""
        checks = [CheckOutline(c.id, c.title, c.points, c.visibility, c.concept) for c in self.checks]
        return Outline(self.id, self.title, self.hints, checks)
