"""Which exercise, and which file, a learner's command means: ``05``, ``5``, ``ex05``, an id, or a path."""

from __future__ import annotations

from pathlib import Path

from graders import registry
from graders.commands import UsageError, exercise_named
from graders.i18n import ENGLISH, _


def looks_like_path(name: str) -> bool:
    return "/" in name or name.endswith((".py", ".ipynb"))


def student_file(name: str) -> tuple[str, Path]:
    """The exercise and the student's file: a path as given, or the exercise's file in exercises/
    (its notebook when the learner works in one and has no .py)."""
    if looks_like_path(name):
        path = Path(name)
        return exercise_named(path.name), path
    found = exercise_named(name)
    script, notebook = registry.EXERCISES / f"{found}.py", registry.EXERCISES / f"{found}.ipynb"
    return found, notebook if notebook.exists() and not script.exists() else script


def solution_file(exercise: str) -> Path:
    return registry.SOLUTIONS / f"{exercise}.py"


def stub_source(exercise: str, language: str = ENGLISH) -> str:
    """The exercise's stub as handed out: made from its solution, its words in ``language``, or where
    there are no solutions (the student kit) the copy shipped in stubs/, in the kit's language."""
    from graders.stubs import stub_for

    solution, shipped = solution_file(exercise), registry.SHIPPED_STUBS / f"{exercise}.py"
    if solution.exists():
        return stub_for(solution, language)
    if shipped.exists():
        return shipped.read_text(encoding="utf-8")
    raise UsageError(
        _("there is no stub of {exercise} to restore: {solution} and {shipped} are both missing").format(
            exercise=exercise, solution=solution, shipped=shipped
        )
    )


def number(exercise: str) -> str:
    """``05`` for ``ex05_activation_recorder``: what ``make ... EX=`` takes."""
    return exercise.split("_", 1)[0].removeprefix("ex")
