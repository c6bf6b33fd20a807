"""The registry of exercises: every grader spec in graders/exercises/, and where its files live.

Nothing else lists exercises. Adding one means a solution, a spec here, and tests.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import re
from functools import cache
from pathlib import Path

from graders.spec import Exercise

ROOT = Path(__file__).resolve().parent.parent
# A course may keep its reference solutions outside the repository it hands out.
SOLUTIONS = Path(os.environ.get("FORWARDPASS_SOLUTIONS", ROOT / "solutions"))
EXERCISES = ROOT / "exercises"
# What forwardpass computes once and keeps: the references' observations, the exercises' outlines.
CACHE = Path(os.environ.get("FORWARDPASS_CACHE", ROOT / ".cache"))
# A copy without solutions/ (the student kit) ships the stubs as handed out, for `make reset`.
SHIPPED_STUBS = ROOT / "stubs"
SPECS_PACKAGE = "graders.exercises"

# Public checks' inputs come from this seed, so a student's own machine reproduces them.
# Hidden checks draw theirs from the secret seed, which a course sets for its own grading.
PUBLIC_SEED = 1234
DEFAULT_SECRET_SEED = 271828

_NUMBER = re.compile(r"(ex\d\d)(?=[_\-.\s]|$)", re.IGNORECASE)


@cache
def ids() -> tuple[str, ...]:
    """Every exercise id, in curriculum order, without importing any spec (no torch needed)."""
    package = importlib.import_module(SPECS_PACKAGE)
    names = (info.name for info in pkgutil.iter_modules(package.__path__))
    return tuple(sorted(name for name in names if re.fullmatch(r"ex\d\d_\w+", name)))


@cache
def get(exercise_id: str) -> Exercise:
    module = importlib.import_module(f"{SPECS_PACKAGE}.{exercise_id}")
    exercise = getattr(module, "exercise", None)
    if not isinstance(exercise, Exercise) or exercise.id != exercise_id:
        raise TypeError(f"{module.__file__}: define `exercise = Exercise(id={exercise_id!r}, ...)`")
    return exercise


def load_all() -> dict[str, Exercise]:
    """Every exercise by id, in curriculum order."""
    return {exercise_id: get(exercise_id) for exercise_id in ids()}


def lookup(name: str) -> str | None:
    """The id of the exercise a name refers to: an id, an ``exNN`` number, or a file name
    starting with one (``ex03_containers-1.py`` as an LMS renames it)."""
    if name in ids():
        return name
    match = _NUMBER.match(Path(name).name)
    if match:
        number = match.group(1).lower()
        return next((i for i in ids() if i.split("_", 1)[0] == number), None)
    return None


def solution_path(exercise: Exercise) -> Path:
    return SOLUTIONS / f"{exercise.id}.py"


def stub_path(exercise: Exercise) -> Path:
    return EXERCISES / f"{exercise.id}.py"
