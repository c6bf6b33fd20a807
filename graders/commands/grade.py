"""``python -m graders grade SUBMISSIONS --out DIR``: grade a whole class, resumably.

SUBMISSIONS is what the LMS exported (a folder or a .zip; see graders/bulk/inputs.py); without
it, ``--sample`` grades the bundled sample class. DIR receives gradebook.csv, report.html,
students/<student>/{feedback.md,results.json} and the results database that makes a rerun resume;
with a Canvas gradebook export or a Moodle grading worksheet as roster, the files that LMS imports
as they are (graders/bulk/lms.py).
Exit status: 0 when the class was graded, 1 when the engine failed (rerun to resume), 2 when the
command was used wrongly.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from graders.bulk.similarity import DEFAULT_THRESHOLD
from graders.commands import (
    EXIT_FAILED,
    EXIT_PASSED,
    UsageError,
    add_course_options,
    course_of,
    exercise_named,
    secret_seed,
)
from graders.commands.check import add_grading_options, limits_from
from graders.text import print_diagnostic

NAME = "grade"
HELP = "grade a class's submissions into a gradebook, feedback and a report"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "submissions",
        nargs="?",
        metavar="SUBMISSIONS",
        help="the class: a folder per student, or a Canvas or Moodle export (folder or .zip)",
    )
    parser.add_argument("--out", required=True, metavar="DIR", help="where the results go (reused to resume)")
    parser.add_argument("--sample", action="store_true", help="grade the bundled sample class (writes it into DIR)")
    parser.add_argument("--roster", metavar="CSV", help="the course's roster: absent students get 0")
    parser.add_argument(
        "--exercises",
        metavar="LIST",
        help="the assignment's exercises, e.g. ex01,ex02 (default: every exercise someone handed in)",
    )
    parser.add_argument("--force", action="store_true", help="regrade everything, even what DIR already holds")
    parser.add_argument("--public-only", action="store_true", help="leave out the hidden checks")
    parser.add_argument(
        "--canvas-assignment",
        metavar="NAME",
        help="the assignment's name in Canvas, for canvas-import.csv (default: a new assignment, forwardpass)",
    )
    parser.add_argument(
        "--canvas-points",
        type=float,
        metavar="POINTS",
        help="the assignment's points in Canvas (default: its Points Possible in the roster, else the maximum here)",
    )
    parser.add_argument(
        "--similarity-threshold",
        type=float,
        default=100 * DEFAULT_THRESHOLD,
        metavar="PERCENT",
        help="list two submissions as similar when the other's code matches at least this share of one's own "
        "(default: %(default).0f)",
    )
    parser.add_argument("--no-similarity", action="store_true", help="do not look for similar submissions")
    add_grading_options(parser)
    add_course_options(parser)


def wanted_exercises(text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    return tuple(exercise_named(name) for name in text.split(",") if name.strip())


def run(args: argparse.Namespace) -> int:
    from graders.bulk import sample
    from graders.bulk.lms import CanvasColumn
    from graders.bulk.roster import RosterError
    from graders.bulk.run import Busy, Settings, grade_class
    from graders.bulk.terminal import GradingProgress, print_summary
    from graders.engine.client import EngineError

    out = Path(args.out)
    if args.sample == bool(args.submissions):
        raise UsageError("name the SUBMISSIONS to grade, or pass --sample for the bundled sample class")
    if args.sample:
        source = sample.write_sample_class(out / "sample-class.zip")
        print(f"The sample class: {source}", file=sys.stderr)
    else:
        source = Path(args.submissions)
        if not source.exists():
            raise UsageError(f"no such file or folder: {source}")
        if source.is_file() and source.suffix.lower() != ".zip":
            raise UsageError(f"{source} is not a folder or a .zip; to grade one file, use: python -m graders check")
    if args.roster and not Path(args.roster).is_file():
        raise UsageError(f"no such roster file: {args.roster}")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if not 0 < args.similarity_threshold <= 100:
        raise UsageError("--similarity-threshold is a percentage: more than 0, at most 100")
    if args.canvas_points is not None and args.canvas_points <= 0:
        raise UsageError("--canvas-points must be more than 0")
    course = course_of(args)
    # The sample class is made up: grading it is trying forwardpass out, whatever the seed.
    seed = secret_seed(args, course, for_credit=not (args.public_only or args.sample))
    settings = Settings(
        include_hidden=not args.public_only,
        secret_seed=seed,
        limits=limits_from(args),
        jobs=args.jobs,
        force=args.force,
        exercises=wanted_exercises(args.exercises) or course.listed,
        roster=Path(args.roster) if args.roster else sample.sample_roster(source) if args.sample else None,
        similarity=None if args.no_similarity else args.similarity_threshold / 100,
        canvas=CanvasColumn(args.canvas_assignment, args.canvas_points),
        course=course,
    )
    try:
        with GradingProgress() as progress:
            grades = grade_class(source, out, settings, progress)
    except (Busy, RosterError) as error:
        raise UsageError(str(error)) from None
    except EngineError as failure:
        print_diagnostic(f"forwardpass: {failure}")
        print(f"Every result finished so far is kept in {out}; run the same command again to resume.", file=sys.stderr)
        return EXIT_FAILED
    print_summary(grades, out)
    return EXIT_PASSED
