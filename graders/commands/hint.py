"""``python -m graders hint [EXERCISE] [--reset]``: the next hint of an exercise, one at a time."""

from __future__ import annotations

import argparse

from graders import registry
from graders.commands import UsageError, exercise_named

NAME = "hint"
HELP = "show the next hint of an exercise (the one you are on, by default)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "exercise", nargs="?", metavar="EXERCISE", help="05, ex05 or ex05_activation_recorder (default: your next one)"
    )
    parser.add_argument("--reset", action="store_true", help="forget the hints seen, so the next one is hint 1")


def run(args: argparse.Namespace) -> int:
    from rich.markup import escape

    from graders.learner import hints, state
    from graders.learner.suggest import command, through_make
    from graders.reporters.terminal import block, make_console

    if args.exercise is None:
        current = state.load().current
        if current not in registry.ids():
            example = "make hint EX=05" if through_make() else "python -m graders hint 05"
            raise UsageError(
                f"which exercise? Say `{example}`, or run `{command('check')}` first: "
                "then hint picks the exercise you are on"
            )
        exercise = current
    else:
        exercise = exercise_named(args.exercise)
    console = make_console()
    if args.reset:
        hints.forget(exercise)
        console.print(f"Forgot the hints you had seen for {exercise}; the next one is hint 1.")
        return 0
    shown, again = hints.reveal_next(exercise)
    if not shown:
        console.print(f"{exercise} has no hints; its checks' messages say what to fix.")
        return 0
    if again:
        console.print(f"[bold]{exercise}[/bold]: you have seen all {len(shown)} hints; here they are again.\n")
    for item in shown:
        helped = hints.checks_helped(item)
        console.print(f"[bold]{exercise} · hint {item.number} of {item.total}[/bold]" + (", for:" if helped else ""))
        for title in helped:
            block(console, f"[dim]- {escape(title)}[/dim]", 2)
        console.print()
        block(console, escape(item.hint.text), 2)
        console.print()
    following = hints.upcoming(exercise)
    if not again and following is not None:
        console.print(f"[dim]`{command('hint', exercise)}` again shows hint {following} of {shown[-1].total}.[/dim]")
    elif not again:
        console.print(f"[dim]That was the last hint; `{command('hint', exercise)}` shows them all again.[/dim]")
    return 0
