"""``python -m graders nbgrader [ID ...] [--course DIR] [--no-release]``: the exercises as an nbgrader course.

Writes ``nbgrader_config.py`` and one source notebook per exercise (graders/notebooks/course.py)
for the course file's assignment, points, secret seed and hint policy, then runs the real
``nbgrader generate_assignment`` to make the students' versions in release/. Without a secret seed
(a course file, or --seed) it refuses, as grade does, unless --seed-not-secret.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from pathlib import Path

from graders.commands import add_course_options, course_of, exercise_named, named_language, secret_seed
from graders.course import Course

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
    add_course_options(parser)


def graded_for(args: argparse.Namespace, exercise_ids: list[str]) -> Course:
    """The course the notebooks grade for: the course file as it is (nbgrader's config reads it
    where nbgrader runs), or the seed given here and nothing else of it."""
    found = course_of(args)
    seed = secret_seed(args, found)
    chosen = exercise_ids or found.assignment
    if found.path is not None and seed == found.secret_seed:
        return dataclasses.replace(found, exercises=found.narrowed(chosen, seed).exercises)
    return dataclasses.replace(found.narrowed(chosen, seed), path=None)


def run(args: argparse.Namespace) -> int:
    from graders.notebooks.course import DEFAULT_COURSE, write_course
    from graders.notebooks.nbgrader_cli import nbgrader

    exercise_ids = [exercise_named(name) for name in args.exercises]
    graded = graded_for(args, exercise_ids)
    course = args.course or DEFAULT_COURSE
    written = write_course(course, graded.listed, graded, named_language(args, graded))
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
