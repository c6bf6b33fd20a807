"""Results for a person at a terminal: ✓/✗ per check, points, messages, the total.

Three shapes, chosen by what was graded: one exercise in full detail; a learner's folder as a
progress list with only the next unfinished exercise in detail; a class of submissions in full.
Colour where the terminal supports it; plain text under NO_COLOR or when piped, with ASCII marks
where the output cannot encode others. Everything that came from a submission is printed as
text, never as markup (``escape``) and never as a control sequence (``CleanConsole``).
"""

from __future__ import annotations

import contextlib
import os
import sys
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.padding import Padding
from rich.text import Text

from graders.i18n import N_, _
from graders.learner.progress import Progress, done, first_unfinished, is_one_learner, progress_of
from graders.results import ExerciseResult, RunResult
from graders.text import clean

MAX_OUTPUT_LINES = 15
BAR_WIDTH = 28
PROGRESS_WORDS: dict[Progress, str] = {"passed": N_("passed"), "failed": N_("failed"), "not started": N_("not started")}
PROGRESS_WIDTH = 11  # columns: the longest English word, so that the titles line up

# Lines of plain text to print under an exercise shown in detail: how to get a hint, what next.
NextSteps = Callable[[ExerciseResult], Sequence[str]]


@dataclass(frozen=True)
class Marks:
    passed: str
    failed: str
    not_started: str
    next: str
    bar_done: str
    bar_todo: str

    def of(self, progress: Progress) -> str:
        return {"passed": self.passed, "failed": self.failed, "not started": self.not_started}[progress]


UNICODE = Marks("✓", "✗", "·", "▸", "█", "░")
ASCII = Marks("+", "x", "-", ">", "#", ".")
COLOURS = {"passed": "green", "failed": "red", "not started": "dim"}


def marks(console: Console) -> Marks:
    return UNICODE if console.encoding.lower().replace("-", "").startswith("utf") else ASCII


def padded(text: str, width: int) -> str:
    """``text`` filled with spaces to ``width`` columns as a terminal shows it (a Hangul syllable takes two)."""
    return text + " " * max(0, width - cell_len(text))


def points(value: float) -> str:
    return f"{value:g}"


def block(console: Console, markup: str, indent: int, style: str | None = None) -> None:
    """Indented text: re-wrapped to a terminal's width, or kept whole when piped."""
    if console.soft_wrap:
        console.print(textwrap.indent(markup, " " * indent), style=style)
    else:
        console.print(Padding(markup, (0, 0, 0, indent)), style=style)


def print_exercise(console: Console, result: ExerciseResult, show_output: bool = True, lead: str = "") -> None:
    """One exercise in full: every check, and each failure's message (once for a run of checks
    that failed for the same reason)."""
    colour = {"passed": "green", "failed": "yellow", "error": "red"}[result.status]
    mark = marks(console)
    console.print(
        f"{lead}[bold]{escape(result.id)}[/bold] · {escape(result.title)} · "
        f"[{colour}]{points(result.score)}/{points(result.max_score)}[/{colour}]"
    )
    console.print(f"[dim]{escape(result.file)}[/dim]")
    if result.error:
        label = _("Not started:") if progress_of(result) == "not started" else _("Could not grade:")
        block(console, f"[red]{label}[/red] {escape(result.error)}", 2)
    checks = result.checks
    for index, check in enumerate(checks):
        symbol = f"[green]{mark.passed}[/green]" if check.passed else f"[red]{mark.failed}[/red]"
        hidden = " [dim]" + escape(_("(hidden)")) + "[/dim]" if check.visibility == "hidden" else ""
        score = f"{points(check.points)}/{points(check.max_points)}"
        console.print(f"  {symbol} {score:>5}  {escape(check.title)}{hidden}")
        following = checks[index + 1] if index + 1 < len(checks) else None
        same_reason_follows = following is not None and not following.passed and following.message == check.message
        if not check.passed and not result.error and not same_reason_follows:
            block(console, escape(check.message), 11)
    if show_output and result.status != "passed":
        printed = (result.stdout + result.stderr).strip()
        if printed:
            lines = printed.splitlines()
            hidden_lines = len(lines) - MAX_OUTPUT_LINES
            more = "\n" + _("… {count} more lines").format(count=hidden_lines) if hidden_lines > 0 else ""
            block(console, "[dim]" + escape(_("Your code printed:")) + "[/dim]", 2)
            block(console, escape("\n".join(lines[:MAX_OUTPUT_LINES]) + more), 4, style="dim")


def print_steps(console: Console, lines: Sequence[str]) -> None:
    for line in lines:
        block(console, f"[cyan]{escape(line)}[/cyan]", 0)


def print_progress_bar(console: Console, finished: int, total: int) -> None:
    mark = marks(console)
    filled = round(BAR_WIDTH * finished / total) if total else 0
    bar = f"[green]{mark.bar_done * filled}[/green][dim]{mark.bar_todo * (BAR_WIDTH - filled)}[/dim]"
    colour = "green" if finished == total else "yellow"
    done_text = escape(_("{finished}/{total} done").format(finished=finished, total=total))
    label = escape(_("Progress"))
    console.print(f"[bold]{label}[/bold] {bar} [{colour}]{done_text}[/{colour}]")


def print_overview(console: Console, results: Sequence[ExerciseResult], current: ExerciseResult | None) -> None:
    """One line per exercise, in curriculum order: its mark, id, progress word, points, title."""
    mark = marks(console)
    width = max(len(result.id) for result in results)
    for result in sorted(results, key=lambda r: r.id):
        progress = progress_of(result)
        colour = COLOURS[progress]
        pointer = mark.next if result is current else " "
        score = f"{points(result.score)}/{points(result.max_score)}"
        word = padded(_(PROGRESS_WORDS[progress]), PROGRESS_WIDTH)
        line = console.render_str(
            f"[bold]{pointer}[/bold] [{colour}]{mark.of(progress)}[/{colour}] {escape(result.id):<{width}}  "
            f"[{colour}]{escape(word)}[/{colour}] {score:>6}  [dim]{escape(result.title)}[/dim]"
        )
        if console.soft_wrap:
            console.print(line)
        else:  # one line per exercise on a terminal: a long title ends in "…"
            console.print(line, no_wrap=True, overflow="ellipsis")


def print_footer(console: Console, run: RunResult) -> None:
    colour = "green" if run.passed else "yellow"
    total = f"[{colour}]{points(run.score)}/{points(run.max_score)}[/{colour}]"
    console.print("[bold]" + escape(_("Total: {score}")).format(score=total) + "[/bold]")
    if run.isolation != "full":
        reduced = _("isolation: reduced — {reason}").format(reason=run.isolation_note)
        console.print("[dim]" + escape(reduced) + "[/dim]")


def print_notes(console: Console, run: RunResult) -> None:
    for note in run.notes:
        console.print(f"[dim]{escape(note)}[/dim]")


def print_learner(run: RunResult, console: Console, next_steps: NextSteps | None = None) -> None:
    """A learner's folder: the list, the progress bar, then only the next unfinished exercise."""
    results = run.exercises
    current = first_unfinished(results)
    print_overview(console, results, current)
    console.print()
    print_progress_bar(console, done(results), len(results))
    console.print()
    if current is None:
        console.print("[bold green]" + escape(_("Every exercise passes. Well done!")) + "[/bold green]")
    else:
        print_exercise(console, current, lead="[bold]" + escape(_("Next:")) + "[/bold] ")
        if next_steps:
            print_steps(console, next_steps(current))
    console.print()


def print_run(run: RunResult, console: Console | None = None, next_steps: NextSteps | None = None) -> None:
    """The shape that fits what was graded (see the module's docstring)."""
    console = console or make_console()
    print_notes(console, run)
    if is_one_learner(run.exercises):
        print_learner(run, console, next_steps)
    else:
        for result in run.exercises:
            print_exercise(console, result)
            if len(run.exercises) == 1 and next_steps and result.status != "passed":
                print_steps(console, next_steps(result))
            console.print()
    print_footer(console, run)


class CleanConsole(Console):
    """A console that cleans every string it renders (graders/text.py), whatever markup it is in: a
    submission's text, output or file name reaches the terminal as text, never as a control sequence."""

    def render_str(self, text: str, **options: Any) -> Text:
        return super().render_str(clean(text, None), **options)


def make_console(stderr: bool = False) -> Console:
    """Colour on a terminal (unless NO_COLOR is set); plain, unwrapped text when piped."""
    stream = sys.stderr if stderr else sys.stdout
    interactive = stream.isatty()
    if not (stream.encoding or "").lower().replace("-", "").startswith("utf"):
        with contextlib.suppress(AttributeError, ValueError):  # "?" for what the terminal cannot show
            stream.reconfigure(errors="replace")
    if os.environ.get("NO_COLOR"):  # no-color.org: no colour, and no other escape sequences either
        return CleanConsole(stderr=stderr, highlight=False, soft_wrap=not interactive, color_system=None)
    return CleanConsole(stderr=stderr, highlight=False, soft_wrap=not interactive)
