"""What the TA sees while a class is graded: a progress bar with counts and an ETA, then one screen
of summary (per exercise, the class's scores, what went wrong, where the files are)."""

from __future__ import annotations

import statistics
from collections import Counter
from pathlib import Path

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from graders.bulk import stats
from graders.bulk.results import ClassResults
from graders.reporters.terminal import make_console, points
from graders.results import ExerciseResult

SHOWN_NOTES = 5
# Notes shown first: those about files that were graded instead of others, or not at all.
NOTE_ORDER = ("duplicate", "archive", "roster", "assignment", "unknown")


class GradingProgress:
    """A progress bar on stderr while there is a terminal to draw it on; silent otherwise."""

    def __init__(self, console: Console | None = None):
        self.console = console or make_console(stderr=True)
        self.bar = Progress(
            TextColumn("[bold]grading"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[problems]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=self.console,
            disable=not self.console.is_terminal,
        )
        self.task = None
        self.errors = 0

    def __enter__(self) -> GradingProgress:
        self.bar.__enter__()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.bar.__exit__(*exc_info)

    def begin(self, total: int, reused: int) -> None:
        if reused:
            self.console.print(f"[dim]{reused} results reused from an earlier run in this folder[/dim]")
        self.task = self.bar.add_task("grading", total=total, problems="")

    def advance(self, result: ExerciseResult) -> None:
        self.errors += result.status == "error"
        problems = f"[red]{self.errors} not graded[/red]" if self.errors else ""
        self.bar.update(self.task, advance=1, problems=problems)


def exercise_table(grades: ClassResults) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("exercise", no_wrap=True, min_width=max((len(e.id) for e in grades.exercises), default=8))
    for title in ("submitted", "not started", "passed", "mean", "not graded"):
        table.add_column(title, justify="right")
    for s in stats.exercise_stats(grades):
        errors = f"[red]{s.errors}[/red]" if s.errors else "0"
        table.add_row(
            escape(s.exercise.id),
            str(s.submitted),
            str(s.not_started),
            str(s.passed),
            f"{s.mean:.1f}/{points(s.max_score)}",
            errors,
        )
    return table


def print_summary(grades: ClassResults, out: Path, console: Console | None = None) -> None:
    console = console or make_console()
    done = grades.graded + grades.reused
    console.print(
        f"[bold]Graded {len(grades.students)} students × {len(grades.exercises)} exercises[/bold] in "
        f"{grades.seconds:.1f} s with {grades.jobs} jobs: {grades.graded} of {done} results now, "
        f"{grades.reused} from an earlier run"
    )
    if grades.exercises:
        console.print(exercise_table(grades))
    percents = stats.percentages(grades)
    if percents:
        full = sum(p >= 100 for p in percents)
        late = sum(s.late for s in grades.members)
        console.print(
            f"Class: mean {statistics.fmean(percents):.0f}% · median {statistics.median(percents):.0f}% · "
            f"{full} with full marks · {late} late"
        )
    tests = [s.name for s in grades.students if s.test]
    if tests:
        console.print(f"[dim]Test users, graded but counted in no statistic: {escape(', '.join(tests))}[/dim]")
    failures = Counter(e.kind for e in stats.errored(grades))
    if failures:
        kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(failures.items()))
        console.print(f"[red]Could not be graded:[/red] {kinds} (report.html lists them)")
    if grades.notes:
        kinds = Counter(note.kind for note in grades.notes)
        console.print(
            f"[yellow]{len(grades.notes)} notes on the inputs[/yellow] "
            f"({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))}):"
        )
        for note in sorted(grades.notes, key=lambda note: NOTE_ORDER.index(note.kind))[:SHOWN_NOTES]:
            console.print(f"  [dim]{escape(note.text)}[/dim]")
        if len(grades.notes) > SHOWN_NOTES:
            console.print(f"  [dim]… {len(grades.notes) - SHOWN_NOTES} more in report.html[/dim]")
    if grades.similar:
        students = sum(len(group.students) for group in grades.similar)
        console.print(
            f"[yellow]Similar submissions:[/yellow] {len(grades.similar)} groups, {students} submissions "
            "(report.html shows them side by side)"
        )
    if grades.isolation != "full":
        console.print(f"[dim]isolation: reduced — {escape(grades.isolation_note)}[/dim]")
    console.print(
        f"Wrote {escape(str(out / 'gradebook.csv'))}, {escape(str(out / 'report.html'))} and, per student, "
        f"feedback.md and results.json in {escape(str(out / 'students'))}/"
    )
    for name in grades.lms_files:
        console.print(f"For the LMS to import as it is: {escape(str(out / name))}")
