"""``python -m graders hint [EXERCISE] [--reset]``: the next hint of an exercise, one at a time."""

from __future__ import annotations

import argparse

from graders import registry
from graders.commands import UsageError, exercise_named
from graders.i18n import _

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
                _(
                    "which exercise? Say `{example}`, or run `{check}` first: then hint picks the exercise you are on"
                ).format(example=example, check=command("check"))
            )
        exercise = current
    else:
        exercise = exercise_named(args.exercise)
    console = make_console()
    if args.reset:
        hints.forget(exercise)
        console.print(
            escape(_("Forgot the hints you had seen for {exercise}; the next one is hint 1.").format(exercise=exercise))
        )
        return 0
    shown, again = hints.reveal_next(exercise)
    if not shown:
        console.print(
            escape(_("{exercise} has no hints; its checks' messages say what to fix.").format(exercise=exercise))
        )
        return 0
    if again:
        again_text = _("{exercise}: you have seen all {count} hints; here they are again.").format(
            exercise=exercise, count=len(shown)
        )
        console.print("[bold]" + escape(again_text) + "[/bold]\n")
    for item in shown:
        helped = hints.checks_helped(item)
        heading = _("{exercise} · hint {number} of {total}").format(
            exercise=exercise, number=item.number, total=item.total
        )
        console.print("[bold]" + escape(heading) + "[/bold]" + (escape(_(", for:")) if helped else ""))
        for title in helped:
            block(console, f"[dim]- {escape(title)}[/dim]", 2)
        console.print()
        block(console, escape(_(item.hint.text)), 2)
        console.print()
    following = hints.upcoming(exercise)
    if not again and following is not None:
        more = _("`{command}` again shows hint {number} of {total}.").format(
            command=command("hint", exercise), number=following, total=shown[-1].total
        )
        console.print("[dim]" + escape(more) + "[/dim]")
    elif not again:
        last = _("That was the last hint; `{command}` shows them all again.").format(command=command("hint", exercise))
        console.print("[dim]" + escape(last) + "[/dim]")
    return 0
