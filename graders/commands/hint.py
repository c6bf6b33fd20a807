"""``python -m graders hint [EXERCISE] [--reset]``: the next hint of an exercise, one at a time, or the
one hint a course's policy gives (graders/policy.py)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING

from graders import registry
from graders.commands import UsageError, course_of, exercise_named
from graders.course import HintPolicy
from graders.i18n import _

if TYPE_CHECKING:
    from rich.console import Console

    from graders.learner.hints import ShownHint

NAME = "hint"
HELP = "show the next hint of an exercise (the one you are on, by default)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "exercise", nargs="?", metavar="EXERCISE", help="05, ex05 or ex05_activation_recorder (default: your next one)"
    )
    parser.add_argument("--reset", action="store_true", help="forget the hints seen, so the next one is hint 1")


def print_hints(console: Console, exercise: str, shown: Sequence[ShownHint]) -> None:
    from rich.markup import escape

    from graders.learner import hints
    from graders.reporters.terminal import block

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


def courses_hint(console: Console, exercise: str, policy: HintPolicy) -> int:
    """What a course that does not give every hint gives: under ``nudge``, the first hint of the check
    that failed first at the learner's last check, each time; under ``none``, nothing."""
    from graders.learner import hints
    from graders.learner.suggest import command

    if policy == "none":
        text = _("Your course gives no hints: the messages of {exercise}'s checks say what to fix.")
        console.print(text.format(exercise=exercise), markup=False)
        return 0
    shown = hints.given(exercise, policy)
    if not shown:
        text = _(
            "Your course gives one hint: the first one for the check that failed first. Your last `{check}` "
            "found no failing check of {exercise} that has one."
        )
        console.print(text.format(check=command("check"), exercise=exercise), markup=False)
        return 0
    print_hints(console, exercise, shown)
    text = _(
        "Your course gives this hint alone, for the check that failed first. Once that check passes, run "
        "`{check}` again, and `{hint}` gives the hint of the next one that fails."
    )
    console.print(text.format(check=command("check"), hint=command("hint", exercise)), style="dim", markup=False)
    return 0


def run(args: argparse.Namespace) -> int:
    from rich.markup import escape

    from graders.learner import hints, state
    from graders.learner.suggest import command, through_make
    from graders.reporters.terminal import make_console

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
    policy = course_of(args).hints
    if policy != "all":
        return courses_hint(console, exercise, policy)
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
    print_hints(console, exercise, shown)
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
