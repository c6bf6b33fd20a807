"""``python -m graders watch [PATH] [--exercise ID] [--poll]``: re-grade each exercise file as it is saved.

One warm engine serves the whole session (the warm engine service, or one of the watcher's own:
``graders/grader.py``), so a save is graded in a fraction of a second. Ctrl-C (or SIGTERM) stops the
watcher, and the engine if it was its own.
"""

from __future__ import annotations

import argparse
import functools
import os
import signal
import time
from pathlib import Path
from typing import TYPE_CHECKING

from graders import registry
from graders.commands import UsageError, course_of, exercise_named
from graders.commands.check import add_grading_options, collect, limits_from
from graders.i18n import _

if TYPE_CHECKING:
    from graders.grader import Grader
    from graders.results import ExerciseResult, RunResult
    from graders.sources import Submission

NAME = "watch"
HELP = "re-grade each exercise file every time you save it (Ctrl-C stops)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", metavar="PATH", help="an exercises folder or one file (default: exercises/)")
    parser.add_argument("--exercise", metavar="ID", help="watch the file PATH as this exercise (named otherwise)")
    parser.add_argument("--poll", action="store_true", help="look for saved files by polling, not by file events")
    add_grading_options(parser)


def is_exercise_file(path: Path) -> bool:
    return path.suffix in (".py", ".ipynb") and not path.name.startswith(".") and registry.lookup(path.name) is not None


def stop_on_signals() -> None:
    """Ctrl-C stops the watcher even where it was started with SIGINT ignored (a background job
    of a script), and SIGTERM stops it the same way: through the same clean shutdown."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, interrupt)


class Watch:
    """The session: the latest result of every file, as the course's hint policy lets its students read
    it, a warm engine, and the screen."""

    def __init__(self, args: argparse.Namespace):
        from graders.options import Options
        from graders.reporters.terminal import make_console

        text = args.path or os.path.relpath(registry.EXERCISES)
        target = Path(text)
        self.submissions, self.notes = collect([text], args.exercise)
        self.forced = None if args.exercise is None else exercise_named(args.exercise)  # the file's exercise
        self.known = {submission.path: submission.exercise_id for submission in self.submissions}
        self.folder = target if target.is_dir() else target.parent
        self.only = None if target.is_dir() else target
        self.options = Options(limits=limits_from(args))
        self.policy = course_of(args).hints
        self.jobs = args.jobs
        self.console = make_console()
        self.results: dict[str, ExerciseResult] = {}  # by file
        self.grader: Grader | None = None

    def wanted(self, path: Path) -> bool:
        if self.only is not None:
            return path == self.only
        return path in self.known or is_exercise_file(path)

    def exercise_of(self, path: Path) -> str:
        """The exercise a saved file is graded as: the one --exercise names, else what it was graded as
        at the start (a file named otherwise, matched by its code), else what its name says."""
        return self.forced or self.known.get(path) or registry.lookup(path.name)

    def start_engine(self) -> None:
        from graders.grader import open_grader

        self.grader = open_grader(self.jobs)

    def stop_engine(self) -> None:
        if self.grader is not None:
            self.grader.close()
            self.grader = None

    def grade(self, submissions: list[Submission]) -> list[ExerciseResult]:
        """Results of ``submissions``; an engine that died is reported and started afresh."""
        from graders.engine.client import EngineError
        from graders.policy import shown

        try:
            results = shown(self.grader.grade(submissions, self.options), self.policy)
        except EngineError as failure:
            self.console.print(f"forwardpass: {failure}", markup=False, style="red")
            self.console.print(_("Restarting the grading engine; save again to re-check."))
            self.stop_engine()
            self.start_engine()
            return []
        for result in results:
            self.results[result.file] = result
        return results

    def run_result(self) -> RunResult:
        from graders.results import RunResult

        isolation = self.grader.isolation
        exercises = tuple(sorted(self.results.values(), key=lambda r: (r.id, r.file)))
        return RunResult(exercises, isolation.level, isolation.reason, tuple(self.notes))

    def remember(self) -> None:
        from graders.learner import state

        state.remember(list(self.results.values()))

    def show_all(self) -> None:
        from graders.learner.steps import next_steps
        from graders.reporters.terminal import print_run

        print_run(self.run_result(), self.console, functools.partial(next_steps, watching=True, policy=self.policy))

    def show_saved(self, results: list[ExerciseResult]) -> None:
        from rich.markup import escape

        from graders.learner.progress import done, first_unfinished, is_one_learner
        from graders.learner.steps import next_steps
        from graders.reporters.terminal import print_exercise, print_progress_bar, print_steps

        console = self.console
        if console.is_terminal:
            console.clear()
        stamp = time.strftime("%H:%M:%S")
        for result in results:
            console.rule(escape(_("{time} · {file} saved").format(time=stamp, file=result.file)), style="dim")
            print_exercise(console, result)
            if result.status != "passed":
                print_steps(console, next_steps(result, watching=True, policy=self.policy))
            console.print()
        everything = list(self.results.values())
        if is_one_learner(everything):
            print_progress_bar(console, done(everything), len(everything))
            upcoming = first_unfinished(everything)
            if all(result.status == "passed" for result in results) and upcoming is not None:
                upcoming_text = _("Next: {exercise} · {title} ({file})").format(
                    exercise=upcoming.id, title=upcoming.title, file=upcoming.file
                )
                console.print("[green]" + escape(_("Passed!")) + "[/green] " + escape(upcoming_text))
            elif upcoming is None:
                console.print("[bold green]" + escape(_("Every exercise passes. Well done!")) + "[/bold green]")
        run = self.run_result()
        if run.isolation != "full":
            reduced = _("isolation: reduced — {reason}").format(reason=run.isolation_note)
            console.print("[dim]" + escape(reduced) + "[/dim]")

    def waiting_line(self, mode: str) -> None:
        from rich.markup import escape

        watched = str(self.only) if self.only is not None else f"{self.folder}/"
        waiting = _("Watching {folder} ({mode}) · save a file to re-check it · Ctrl-C stops").format(
            folder=watched, mode=mode
        )
        self.console.print("[dim]" + escape(waiting) + "[/dim]")

    def loop(self, poll: bool) -> None:
        from graders.learner.changes import Changes
        from graders.sources import Submission

        changes = Changes(self.folder, self.wanted, poll=poll)
        try:
            self.grade(self.submissions)
            self.remember()  # before showing: the next steps follow the checks that failed
            self.show_all()
            self.waiting_line(changes.mode)
            while True:
                saved = changes.wait(timeout=1.0)
                if not saved:
                    continue
                submissions = [Submission(self.exercise_of(path), path, str(path)) for path in saved]
                results = self.grade(submissions)
                if results:
                    self.remember()
                    self.show_saved(results)
                    self.waiting_line(changes.mode)
        finally:
            changes.stop()


def run(args: argparse.Namespace) -> int:
    if args.path is not None and not Path(args.path).exists():
        raise UsageError(_("no such file or folder: {path}").format(path=args.path))
    if args.exercise is not None and (args.path is None or not Path(args.path).is_file()):
        raise UsageError(_("--exercise names the exercise of one file: give its PATH too"))
    watch = Watch(args)
    stop_on_signals()
    watch.start_engine()
    try:
        watch.loop(poll=args.poll)
    except KeyboardInterrupt:
        pass
    finally:
        watch.stop_engine()
    print(_("Stopped watching."), flush=True)
    return 0
