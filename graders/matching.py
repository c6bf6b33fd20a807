"""Which file is which exercise: one rule for ``check``, ``grade``, ``submit`` and the Gradescope runner.

Each file a student hands in is matched to an exercise of the assignment:

1. by its name: an ``exNN`` prefix or the exercise's name, whatever an LMS added to it
   (``ex03_containers-1.py``, ``containers (2).ipynb``);
2. else by its code: the names it defines, against those the exercise's probe looks up in a
   student's file (``p.require("MyModel")``), when one exercise stands out;
3. else by elimination: a single file left over, when a single exercise is left without one.

Of several files for one exercise, one is graded (``choose``): the LMS's latest revision, a .py
before a notebook, then the first by name. Every file is graded as an exercise or ignored for a
reason, and ``sentences`` says which in the student's words, the same wherever they read it.
"""

from __future__ import annotations

import ast
import importlib.util
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Literal

from graders import registry
from graders.i18n import _
from graders.sources import UnreadableSubmission, read_source

GRADABLE = (".py", ".ipynb")
REVISION = re.compile(r"(?:-(\d+)|\s*\((\d+)\))$")  # what an LMS appends to a resubmitted name
NUMBER = re.compile(r"^ex0*(\d{1,2})(?=[_\-.\s]|$)")
DEFINITION = re.compile(rb"^(?:async\s+)?(?:def|class)\s+(\w+)", re.M)

How = Literal["name", "code", "elimination"]
Why = Literal["not_gradable", "unmatched", "outside", "duplicate"]


@dataclass(frozen=True)
class Handed:
    """A file a student handed in."""

    name: str  # its name as the student gave it (without what an LMS put before it)
    path: Path | None  # where its bytes are; None: left in its archive, being no file to grade
    origin: str  # where it was found, through archives ("submission.zip:ex01_my_model.py")
    late: bool = False  # the LMS marked it late


@dataclass(frozen=True)
class Graded:
    """A file graded as an exercise, and how the rule told."""

    exercise_id: str
    file: Handed
    how: How
    names: tuple[str, ...] = ()  # by code: the names of the exercise's that it defines

    @property
    def path(self) -> Path:
        return self.file.path

    @property
    def name(self) -> str:
        return self.file.name

    @property
    def origin(self) -> str:
        return self.file.origin

    @property
    def late(self) -> bool:
        return self.file.late


@dataclass(frozen=True)
class Ignored:
    """A file not graded, and why."""

    file: Handed
    why: Why
    exercise_id: str | None = None  # outside: the exercise it is for; duplicate: the one graded instead
    instead: str = ""  # duplicate: the name of the file graded instead


@dataclass(frozen=True)
class Matching:
    """One student's files sorted out: the graded ones in curriculum order, and the rest."""

    graded: tuple[Graded, ...] = ()
    ignored: tuple[Ignored, ...] = ()

    def files(self) -> dict[str, Graded]:
        return {graded.exercise_id: graded for graded in self.graded}


# -- the three passes -------------------------------------------------------------------------------


def revision(filename: str) -> int:
    """The number an LMS appended to a resubmitted file's name (``-2``, `` (2)``), else 0."""
    match = REVISION.search(PurePosixPath(filename).stem)
    return int(match.group(1) or match.group(2)) if match else 0


def is_gradable(filename: str) -> bool:
    return PurePosixPath(filename).suffix.lower() in GRADABLE


def by_name(filename: str) -> str | None:
    """The exercise a file's name is for: by its ``exNN`` number, else by the exercise's name."""
    path = PurePosixPath(filename)
    if not is_gradable(filename):
        return None
    stem = REVISION.sub("", path.stem).strip().lower()
    number = NUMBER.match(stem)
    if number:
        prefix = f"ex{int(number.group(1)):02d}"
        return next((i for i in registry.ids() if i.startswith(prefix + "_")), None)
    slug = re.sub(r"[\s\-]+", "_", stem)
    return next((i for i in registry.ids() if slug in (i, i.split("_", 1)[1])), None)


@cache
def asked_names(exercise_id: str) -> frozenset[str]:
    """The names the exercise's probe looks up in a student's file (``p.require("MyModel")``), read
    from its grader spec without importing it."""
    spec = importlib.util.find_spec(f"{registry.SPECS_PACKAGE}.{exercise_id}")
    tree = ast.parse(Path(spec.origin).read_bytes()) if spec and spec.origin else ast.Module([], [])
    return frozenset(
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "require"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    )


def defined_names(code: bytes) -> set[str]:
    """The names a module defines at its top level (by a line scan if it does not parse)."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return {match.decode(errors="replace") for match in DEFINITION.findall(code)}
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(target.id for target in node.targets if isinstance(target, ast.Name))
    return names


def by_code(path: Path, exercises: Sequence[str]) -> tuple[str, tuple[str, ...]] | None:
    """The exercise whose asked names the file defines the largest share of, if one stands out, and
    the names that decided."""
    try:
        names = defined_names(read_source(path).code)
    except UnreadableSubmission:
        return None
    shares = {e: len(names & asked_names(e)) / len(asked_names(e)) for e in exercises if asked_names(e)}
    best = max(shares.values(), default=0)
    leaders = [e for e, share in shares.items() if share == best]
    if best == 0 or len(leaders) != 1:
        return None
    return leaders[0], tuple(sorted(names & asked_names(leaders[0])))


def identify(files: Sequence[Handed], exercises: Sequence[str]) -> list[Graded | Ignored]:
    """Each file, in order, graded as one of ``exercises`` or ignored; several may be graded as the
    same exercise (``match`` chooses among them)."""
    outcome: list[Graded | Ignored | None] = []
    for file in files:
        named = by_name(file.name)
        if not is_gradable(file.name):
            outcome.append(Ignored(file, "not_gradable"))
        elif named in exercises:
            outcome.append(Graded(named, file, "name"))
        elif named is not None:
            outcome.append(Ignored(file, "outside", named))
        else:
            coded = by_code(file.path, exercises)
            outcome.append(Graded(coded[0], file, "code", coded[1]) if coded else None)
    unknown = [index for index, found in enumerate(outcome) if found is None]
    covered = {found.exercise_id for found in outcome if isinstance(found, Graded)}
    missing = [exercise_id for exercise_id in exercises if exercise_id not in covered]
    if len(unknown) == 1 and len(missing) == 1:
        outcome[unknown[0]] = Graded(missing[0], files[unknown[0]], "elimination")
    return [
        found if found is not None else Ignored(file, "unmatched") for found, file in zip(outcome, files, strict=True)
    ]


def choose(candidates: Sequence[Graded]) -> Graded:
    """Of one student's files for one exercise: the LMS's latest revision, a .py before a notebook,
    then the first by name."""
    return min(candidates, key=lambda g: (-revision(g.name), not g.name.endswith(".py"), g.origin))


def match(files: Iterable[Handed], exercises: Sequence[str]) -> Matching:
    """One student's files, sorted out for the assignment's ``exercises``."""
    files = sorted(files, key=lambda file: file.origin)
    found = identify(files, exercises)
    ignored = [item for item in found if isinstance(item, Ignored)]
    by_exercise: dict[str, list[Graded]] = {}
    for item in found:
        if isinstance(item, Graded):
            by_exercise.setdefault(item.exercise_id, []).append(item)
    graded = []
    for exercise_id in registry.ids():
        candidates = by_exercise.get(exercise_id)
        if not candidates:
            continue
        chosen = choose(candidates)
        graded.append(chosen)
        ignored += [Ignored(c.file, "duplicate", exercise_id, chosen.name) for c in candidates if c is not chosen]
    return Matching(tuple(graded), tuple(sorted(ignored, key=lambda item: item.file.origin)))


# -- in words -------------------------------------------------------------------------------------


def graded_sentence(graded: Graded) -> str:
    values = {"file": graded.name, "exercise": graded.exercise_id}
    if graded.how == "code":
        names = ", ".join(graded.names)
        return _("{file} was graded as {exercise}: it defines {names}.").format(names=names, **values)
    if graded.how == "elimination":
        return _(
            "{file} was graded as {exercise}: it is the only file left over, and {exercise} the only exercise "
            "left without one."
        ).format(**values)
    return _("{file} was graded as {exercise}.").format(**values)


def ignored_sentence(ignored: Ignored) -> str:
    values = {"file": ignored.file.name, "exercise": ignored.exercise_id or ""}
    if ignored.why == "not_gradable":
        return _("{file} was not graded: only .py and .ipynb files are, and .zip archives of them.").format(**values)
    if ignored.why == "outside":
        return _("{file} was not graded: it is {exercise}, which is not part of this assignment.").format(**values)
    if ignored.why == "duplicate":
        return _(
            "{file} was not graded: {instead} was graded as {exercise} instead (of several files for one "
            "exercise, the latest revision, a .py before a notebook, then the first by name)."
        ).format(instead=ignored.instead, **values)
    return _(
        "{file} was not graded: neither its name nor its code says which exercise it is. Name it after its "
        "exercise (ex01_my_model.py)."
    ).format(**values)


def outside_sentence(outside: Sequence[Ignored]) -> str:
    """The files for exercises outside the assignment, in one sentence: a student who hands in every
    exercise for an assignment of some reads one line, not one per file."""
    if len(outside) == 1:
        return ignored_sentence(outside[0])
    return _("{files} were not graded: their exercises are not part of this assignment.").format(
        files=", ".join(ignored.file.name for ignored in outside)
    )


def sentences(matching: Matching, named_too: bool = True) -> list[str]:
    """Which file was graded as which exercise, and which were not and why; ``named_too=False``
    leaves out the files whose name said it (where the report names each exercise's file)."""
    graded = [graded_sentence(g) for g in matching.graded if named_too or g.how != "name"]
    outside = [ignored for ignored in matching.ignored if ignored.why == "outside"]
    others = [ignored_sentence(ignored) for ignored in matching.ignored if ignored.why != "outside"]
    return graded + others + ([outside_sentence(outside)] if outside else [])
