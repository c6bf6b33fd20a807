"""``python -m graders gradescope [--out ZIP] [--exercises LIST] [--course-file FILE]``: the autograder to
upload to a Gradescope programming assignment (see graders/release/gradescope.py), for the course's
assignment, points, secret seed and hint policy. Exit status: 0 when it was written, 1 when a
reference solution failed, 2 when the command was used wrongly (no secret seed among them)."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from graders import registry
from graders.commands import (
    EXIT_FAILED,
    EXIT_PASSED,
    UsageError,
    add_course_options,
    course_of,
    named_language,
    secret_seed,
)
from graders.commands.grade import wanted_exercises

NAME = "gradescope"
HELP = "build the Gradescope autograder (setup.sh, run_autograder): hidden checks included, no solutions"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out", default=str(registry.ROOT / "dist" / "gradescope-autograder.zip"), metavar="ZIP", help="where to"
    )
    parser.add_argument(
        "--exercises", metavar="LIST", help="the assignment's exercises, e.g. ex01,ex02 (default: the course's)"
    )
    add_course_options(parser)


def run(args: argparse.Namespace) -> int:
    from graders.reference import ReferenceFailed
    from graders.release.gradescope import build_bundle

    course = course_of(args)
    seed = secret_seed(args, course)
    language = named_language(args, course)  # what the autograder reports in, and its stubs
    assignment = dataclasses.replace(
        course.narrowed(wanted_exercises(args.exercises) or course.assignment, seed), language=language
    )
    missing = [e for e in assignment.listed if not registry.solution_path(registry.get(e)).exists()]
    if missing:
        raise UsageError(f"the autograder is built from the solutions, and {registry.SOLUTIONS} lacks {missing}")
    try:
        bundle = build_bundle(Path(args.out), assignment, language)
    except ReferenceFailed as error:
        print(f"python -m graders gradescope: {error}", file=sys.stderr)
        return EXIT_FAILED
    print(
        f"Wrote {bundle.path}: the autograder for {len(bundle.exercises)} exercise(s), {bundle.points:g} points "
        f"(give the assignment as many), hints: {assignment.hints}. Upload it as a Gradescope programming "
        "assignment's autograder; it holds the secret seed, so keep it to course staff."
    )
    return EXIT_PASSED
