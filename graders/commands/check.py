"""``python -m graders check [PATH ...] [--exercise ID] [--all] [--json]``: grade exercise files.

The contract other tools rely on: exit status 0 when every check passed, 1 when some check
failed, 2 when the command was used wrongly; ``--json`` prints exactly one JSON object on stdout.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from graders import registry
from graders.commands import (
    EXIT_FAILED,
    EXIT_PASSED,
    UsageError,
    add_course_options,
    course_of,
    exercise_named,
    secret_seed,
)
from graders.course import Course, HintPolicy
from graders.engine.limits import Limits
from graders.explain import ENGINE_FAILED
from graders.i18n import N_, _
from graders.matching import Graded, Handed, Ignored, Matching, identify, sentences
from graders.policy import shown
from graders.text import clean_json, name_text, print_diagnostic

if TYPE_CHECKING:
    from graders.results import ExerciseResult, RunResult
    from graders.sources import Submission

NAME = "check"
HELP = "grade exercise files"
NO_HIDDEN_CHECKS = N_(
    "--all ran no hidden checks: this copy of forwardpass has none. They are your course's, which grades "
    "what you hand in with them as well."
)


def positive_float(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be greater than 0")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help="exercise files or folders (default: exercises/)")
    parser.add_argument("--exercise", metavar="ID", help="grade PATH as this exercise (for files named otherwise)")
    parser.add_argument("--all", action="store_true", help="also run the hidden checks")
    parser.add_argument("--json", action="store_true", help="print exactly one JSON object on stdout")
    add_grading_options(parser)
    add_course_options(parser)


def add_grading_options(parser: argparse.ArgumentParser) -> None:
    """Limits and parallelism: shared by every command that grades."""
    parser.add_argument(
        "--timeout",
        type=positive_float,
        metavar="SECONDS",
        help="time limit per exercise: SECONDS of computing (CPU time) and SECONDS of waiting (default: 10)",
    )
    parser.add_argument(
        "--limit",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="another limit per exercise, or one of the two --timeout sets: cpu=SECONDS (computing), "
        "timeout=SECONDS (waiting), memory=2GiB, processes=N, file_size=16MiB, open_files=N, output=64KiB, "
        "tmp=64MiB, observations=64MiB (repeatable)",
    )
    parser.add_argument("--jobs", type=int, metavar="N", help="exercises graded at once (default: all cores)")


def limits_from(args: argparse.Namespace) -> Limits:
    from graders.engine.limits import Limits

    limits = Limits()
    if args.timeout is not None:
        limits = limits.override([f"timeout={args.timeout}", f"cpu={math.ceil(args.timeout)}"])  # whole seconds
    try:
        return limits.override(args.limit)
    except ValueError as error:
        raise UsageError(str(error)) from None


def listed(paths: Sequence[str]) -> tuple[list[Handed], set[Path]]:
    """The files PATHs name: a folder's .py and .ipynb files (not forwardpass's own, like
    conftest.py), and files named one by one (those also returned apart)."""
    files, named = [], set()
    for text in paths or [os.path.relpath(registry.EXERCISES)]:
        path = Path(text)
        if path.is_dir():
            for file in sorted(p for p in path.iterdir() if p.is_file() and p.suffix in (".py", ".ipynb")):
                if not file.name.startswith(("_", ".")) and file.name != "conftest.py":
                    files.append(Handed(name_text(file.name), file, name_text(str(file))))
        elif path.is_file():
            files.append(Handed(name_text(path.name), path, name_text(str(path))))
            named.add(path)
        else:
            raise UsageError(_("no such file or folder: {path}").format(path=path))
    return files, named


def collect(paths: Sequence[str], exercise_id: str | None) -> tuple[list[Submission], list[str]]:
    """Submissions named by PATHs, each file's exercise by the rule every command uses
    (``graders.matching``), and notes: which files were graded as what other than by their name,
    and which were not graded and why. Every file of an exercise is graded: choosing one of several
    is for a grade (``grade``, Gradescope), not for checking."""
    from graders.sources import Submission

    files, named = listed(paths)
    if exercise_id is not None:
        forced = exercise_named(exercise_id)
        return [Submission(forced, file.path, file.origin) for file in files], []
    found = identify(files, registry.ids())
    graded = tuple(item for item in found if isinstance(item, Graded))
    ignored = tuple(item for item in found if isinstance(item, Ignored))
    for item in ignored:
        if item.file.path in named:
            raise UsageError(
                _(
                    "cannot tell which exercise {file} is: name it after the exercise (ex01_my_model.py) or pass "
                    "--exercise ID"
                ).format(file=item.file.origin)
            )
    if not graded:
        raise UsageError(_("no exercise files found (their names start with exNN_, like ex01_my_model.py)"))
    submissions = [Submission(item.exercise_id, item.path, item.origin) for item in graded]
    return submissions, sentences(Matching(graded, ignored), named_too=False)


def run(args: argparse.Namespace) -> int:
    course = course_of(args)
    graded = check(args, course)
    if args.json:
        print(json.dumps(clean_json(graded.to_json()), indent=1))
    else:
        print_for_a_person(graded, args.paths, args.exercise, course.hints)
    return EXIT_PASSED if graded.passed else EXIT_FAILED


def check(args: argparse.Namespace, course: Course) -> RunResult:
    """Grade what the arguments name (``submit`` grades the same way before it packs), the messages as
    the course's hint policy lets its students read them."""
    from graders.engine.client import EngineError
    from graders.grader import open_grader
    from graders.options import Options
    from graders.results import RunResult

    submissions, notes = collect(args.paths, args.exercise)
    seed = secret_seed(args, course, for_credit=False)
    limits = limits_from(args)
    isolation, isolation_note = "reduced", ""
    options = Options(include_hidden=args.all, secret_seed=seed, limits=limits)
    try:
        with open_grader(args.jobs) as grader:
            results = grader.grade(submissions, options)
            isolation, isolation_note = grader.isolation.level, grader.isolation.reason
    except EngineError as failure:
        from graders.judge import judge

        print_diagnostic(f"forwardpass: {failure}")
        message = _(ENGINE_FAILED).format(failure=str(failure).splitlines()[0])
        results = [judge(s.exercise, s.label, None, None, args.all, limits, error=message) for s in submissions]
    notes += missing_notes(args.paths, submissions) + no_hidden_checks(args.all, results)
    return RunResult(tuple(shown(results, course.hints)), isolation, isolation_note, tuple(notes))


def no_hidden_checks(include_hidden: bool, results: Sequence[ExerciseResult]) -> list[str]:
    """``--all`` where this copy of forwardpass has no hidden checks (the student kit): say so, rather
    than show the public checks as if they were all."""
    if not include_hidden or any(check.visibility == "hidden" for result in results for check in result.checks):
        return []
    return [_(NO_HIDDEN_CHECKS)]


def missing_notes(paths: Sequence[str], submissions: Sequence) -> list[str]:
    """When the exercises folder is graded, the exercises whose file is gone, and how to get it back."""
    if not any(Path(path).resolve() == registry.EXERCISES.resolve() for path in paths or [registry.EXERCISES]):
        return []
    from graders.learner.suggest import command

    present = {submission.exercise_id for submission in submissions}
    return [
        _("{exercise} has no file in exercises/: `{reset}` brings back its stub").format(
            exercise=exercise_id, reset=command("reset", exercise_id)
        )
        for exercise_id in registry.ids()
        if exercise_id not in present
    ]


def print_for_a_person(
    run: RunResult, paths: Sequence[str] = (), exercise: str | None = None, policy: HintPolicy = "all"
) -> None:
    """The terminal report; a learner's folder also updates which exercise they are on, and which
    checks failed, before the next steps (which follow them, and the course's hint ``policy``, and run
    again what was checked: ``paths`` as ``exercise``) are printed."""
    from graders.learner import state
    from graders.learner.steps import next_steps
    from graders.reporters.terminal import print_run

    state.remember(run.exercises)
    print_run(run, next_steps=functools.partial(next_steps, checked=paths, exercise=exercise, policy=policy))
