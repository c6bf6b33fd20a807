"""``python -m graders nbgrader [ID ...] [--course DIR] [--no-release]``: the exercises as an nbgrader course.

Writes ``nbgrader_config.py`` and one source notebook per exercise (graders/notebooks/course.py),
then runs the real ``nbgrader generate_assignment`` to make the students' versions in release/.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from graders import registry
from graders.commands import exercise_named

NAME = "nbgrader"
HELP = "build an nbgrader course directory from solutions/ (source notebooks, config, release)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("exercises", nargs="*", metavar="ID", help="only these exercises (default: all)")
    parser.add_argument(
        "--course",
        type=Path,
        metavar="DIR",
        help="the course directory (default: build/nbgrader; its submissions and gradebook are kept)",
    )
    parser.add_argument(
        "--no-release", action="store_true", help="write source/ only; skip `nbgrader generate_assignment`"
    )


def run(args: argparse.Namespace) -> int:
    from graders.notebooks.course import DEFAULT_COURSE, write_course
    from graders.notebooks.nbgrader_cli import nbgrader

    exercise_ids = [exercise_named(name) for name in args.exercises]
    course = args.course or DEFAULT_COURSE
    written = write_course(course, exercise_ids or registry.ids())
    for path in written:
        print(f"wrote {os.path.relpath(path)}")
    if args.no_release:
        return 0
    assignments = exercise_ids or ["*"]
    for assignment in assignments:
        done = nbgrader(course, "generate_assignment", assignment, "--force")
        if done.returncode != 0:
            sys.stderr.write(done.stdout + done.stderr)
            print(f"nbgrader generate_assignment {assignment} failed (exit status {done.returncode})", file=sys.stderr)
            return 1
    print(f"nbgrader generate_assignment: the students' notebooks are in {os.path.relpath(course / 'release')}/")
    return 0
