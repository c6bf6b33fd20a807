"""Results for a person at a terminal: ✓/✗ per check, points, messages, the total.

Colour and symbols where the terminal supports them; plain text under NO_COLOR or when piped.
Everything that came from a submission is printed as text, never as markup.
"""

from __future__ import annotations

import os
import sys
import textwrap

from rich.console import Console
from rich.markup import escape
from rich.padding import Padding

from graders.results import ExerciseResult, RunResult

MAX_OUTPUT_LINES = 15


def points(value: float) -> str:
    return f"{value:g}"


def block(console: Console, markup: str, indent: int, style: str | None = None) -> None:
    """Indented text: re-wrapped to a terminal's width, or kept whole when piped."""
    if console.soft_wrap:
        console.print(textwrap.indent(markup, " " * indent), style=style)
    else:
        console.print(Padding(markup, (0, 0, 0, indent)), style=style)


def print_exercise(console: Console, result: ExerciseResult, show_output: bool = True) -> None:
    colour = {"passed": "green", "failed": "yellow", "error": "red"}[result.status]
    console.print(
        f"[bold]{escape(result.id)}[/bold] · {escape(result.title)} · "
        f"[{colour}]{points(result.score)}/{points(result.max_score)}[/{colour}]"
    )
    console.print(f"[dim]{escape(result.file)}[/dim]")
    if result.error:
        block(console, f"[red]Could not grade:[/red] {escape(result.error)}", 2)
    for check in result.checks:
        mark = "[green]✓[/green]" if check.passed else "[red]✗[/red]"
        hidden = " [dim](hidden)[/dim]" if check.visibility == "hidden" else ""
        score = f"{points(check.points)}/{points(check.max_points)}"
        console.print(f"  {mark} {score:>5}  {escape(check.title)}{hidden}")
        if not check.passed and not result.error:
            block(console, escape(check.message), 11)
    if show_output and result.status != "passed":
        printed = (result.stdout + result.stderr).strip()
        if printed:
            lines = printed.splitlines()
            more = f"\n… {len(lines) - MAX_OUTPUT_LINES} more lines" if len(lines) > MAX_OUTPUT_LINES else ""
            block(console, "[dim]Your code printed:[/dim]", 2)
            block(console, escape("\n".join(lines[:MAX_OUTPUT_LINES]) + more), 4, style="dim")


def make_console() -> Console:
    """Colour on a terminal (unless NO_COLOR is set); plain, unwrapped text when piped."""
    interactive = sys.stdout.isatty()
    return Console(highlight=False, soft_wrap=not interactive, no_color="NO_COLOR" in os.environ or None)


def print_run(run: RunResult, console: Console | None = None) -> None:
    console = console or make_console()
    for note in run.notes:
        console.print(f"[dim]{escape(note)}[/dim]")
    for result in run.exercises:
        print_exercise(console, result)
        console.print()
    colour = "green" if run.passed else "yellow"
    console.print(f"[bold]Total: [{colour}]{points(run.score)}/{points(run.max_score)}[/{colour}][/bold]")
    if run.isolation != "full":
        console.print(f"[dim]isolation: reduced — {escape(run.isolation_note)}[/dim]")
