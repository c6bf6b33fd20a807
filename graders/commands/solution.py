"""``python -m graders solution EXERCISE [--force]``: the reference solution, once your own passes."""

from __future__ import annotations

import argparse

from graders import i18n
from graders.commands import EXIT_FAILED, UsageError
from graders.i18n import _

NAME = "solution"
HELP = "show an exercise's reference solution once your file passes (or with --force)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("exercise", metavar="EXERCISE", help="05, ex05, ex05_activation_recorder, or your file's path")
    parser.add_argument("--force", action="store_true", help="show it even though your file does not pass yet")


def without_markers(source: str) -> str:
    """The solution as a reader wants it: no ``### BEGIN/END SOLUTION`` lines."""
    from graders.stubs import BEGIN, END

    return "".join(line for line in source.splitlines(keepends=True) if line.strip() not in (BEGIN, END))


def passes(exercise: str, path) -> tuple[bool, str]:
    """Whether the learner's file passes every public check, and its score as text."""
    from graders.engine.client import EngineError
    from graders.grader import open_grader
    from graders.options import Options
    from graders.sources import Submission

    if not path.exists():
        return False, _("nothing yet: the file is missing")
    try:
        with open_grader() as grader:
            (result,) = grader.grade([Submission(exercise, path, str(path))], Options())
    except EngineError as failure:
        raise UsageError(
            _("could not grade {path}: {reason}").format(path=path, reason=str(failure).splitlines()[0])
        ) from None
    return result.status == "passed", f"{result.score:g}/{result.max_score:g}"


def run(args: argparse.Namespace) -> int:
    from rich.markup import escape
    from rich.syntax import Syntax

    from graders.learner.suggest import command
    from graders.learner.targets import solution_file, student_file
    from graders.reporters.terminal import make_console
    from graders.stubs import described_in

    exercise, path = student_file(args.exercise)
    solution = solution_file(exercise)
    if not solution.exists():
        raise UsageError(
            _("this copy of forwardpass has no reference solution for {exercise} ({solution})").format(
                exercise=exercise, solution=solution
            )
        )
    console = make_console()
    if not args.force:
        passed, score = passes(exercise, path)
        if not passed:
            not_yet = _(
                "{exercise}: {path} scores {score}; the reference solution is shown once your file passes.\n"
                "`{hint}` helps; `{solution}` shows it anyway."
            ).format(
                exercise=exercise,
                path=path,
                score=score,
                hint=command("hint", exercise),
                solution=command("solution", exercise, force=True),
            )
            console.print(escape(not_yet))
            return EXIT_FAILED
    code = without_markers(described_in(solution, i18n.language()))
    heading = escape(_("Reference solution of {exercise}").format(exercise=exercise))
    console.print(f"[bold]{heading}[/bold] [dim]({escape(solution.name)})[/dim]\n")
    if console.is_terminal and console.color_system:
        console.print(Syntax(code, "python", line_numbers=False, word_wrap=True))
    else:
        console.print(code, markup=False, end="")
    return 0
