"""``python -m graders release [--out dist/student-kit.zip]``: the student kit of the course's exercises,
without solutions, hidden checks or the hints the course's policy keeps back (see
graders/release/kit.py). Exit status: 0 when the kit was written and verified, 1 when it failed its
verification (nothing is written), 2 when the command was used wrongly."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from graders import registry
from graders.commands import EXIT_FAILED, EXIT_PASSED, UsageError, add_course_options, course_of, named_language

NAME = "release"
HELP = "build the student kit: stubs, engine and public checks, without solutions or hidden checks"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out", default=str(registry.ROOT / "dist" / "student-kit.zip"), metavar="ZIP", help="where to write it"
    )
    add_course_options(parser, seed=False)


def run(args: argparse.Namespace) -> int:
    from graders.reference import ReferenceFailed
    from graders.release.kit import KitError, build_kit

    course = course_of(args)
    missing = [i for i in course.assignment if not registry.solution_path(registry.get(i)).exists()]
    if missing:
        raise UsageError(f"the kit is built from the reference solutions, and {registry.SOLUTIONS} lacks {missing}")
    try:
        kit = build_kit(Path(args.out), course, named_language(args, course))
    except (KitError, ReferenceFailed) as error:
        print(f"python -m graders release: {error}", file=sys.stderr)
        return EXIT_FAILED
    print(
        f"Wrote {kit.path}: {kit.exercises} exercises, {kit.files} files. Verified: the kit's own code passes the "
        f"reference solutions on its {kit.public_checks} checks, which are exactly the public ones. Hints: "
        f"{course.hints}."
    )
    return EXIT_PASSED
