"""``python -m graders course init|show``: the course file of a course that grades for credit.

``init`` makes one with a secret seed of its own (see graders/course.py); ``show`` says what the
course file in use decides, without its seed. Exit status: 0 done, 2 used wrongly (``init`` never
replaces a course file: its seed is what the course's grades were computed with).
"""

from __future__ import annotations

import argparse

from graders import course, i18n, registry
from graders.commands import EXIT_PASSED, UsageError, add_course_options, course_of, course_path
from graders.commands.grade import wanted_exercises

NAME = "course"
HELP = "make or show the course file: a graded course's secret seed, hint policy, exercises and points"


def share(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError("must be from 0 to 1 (0.1 takes a tenth off)")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    init = actions.add_parser("init", help="make a course file with a new secret seed")
    init.add_argument(
        "--hints",
        choices=course.HINT_POLICIES,
        default="nudge",
        help="what students are shown of the hints (default: nudge, the first hint of the check that failed)",
    )
    init.add_argument("--exercises", metavar="LIST", help="the assignment, e.g. ex01,ex02 (default: every exercise)")
    init.add_argument("--late-penalty", type=share, default=0.0, metavar="SHARE", help="e.g. 0.1 (default: 0)")
    init.add_argument(
        "--language",
        choices=i18n.LANGUAGES,
        help="the language of what students read: reports, hints, the kit's stubs (default: each student's locale)",
    )
    add_course_options(init, seed=False)
    show = actions.add_parser("show", help="what the course file decides (its seed stays unprinted)")
    add_course_options(show, seed=False)


def describe(found: course.Course) -> list[str]:
    total = sum(points for _exercise, points in found.exercises)
    listed = ", ".join(f"{exercise_id} ({points:g})" for exercise_id, points in found.exercises)
    seed = "its own" if found.secret_seed not in (None, registry.DEFAULT_SECRET_SEED) else "the public default"
    late = f"a late submission loses {found.late_penalty:.0%}" if found.late_penalty else "no late penalty"
    return [
        f"secret seed: {seed}",
        f"hints: {found.hints}",
        f"exercises: {len(found.exercises)}, {total:g} points: {listed}",
        late,
        f"language: {found.language or 'each student locale'}",
    ]


def run(args: argparse.Namespace) -> int:
    if args.action == "show":
        found = course_of(args)
        if found.path is None:
            raise UsageError("no course file here: `python -m graders course init` makes one")
        print(f"{found.path}:")
        print("\n".join(f"  {line}" for line in describe(found)))
        return EXIT_PASSED
    path = course_path(args, public=False) or registry.ROOT / course.FILE_NAME
    if path.exists():
        raise UsageError(
            f"{path} exists already, and its secret seed is the one this course's hidden checks use: edit it, "
            "or move it away first to start a course afresh"
        )
    made = course.initial(args.hints, wanted_exercises(args.exercises), args.late_penalty, language=args.language)
    course.write(made, path)
    print(f"Wrote {path} (readable by you only):")
    print("\n".join(f"  {line}" for line in describe(made)))
    print(
        "Keep it private: whoever has its seed can compute the hidden checks' inputs. Never hand it, or a copy, "
        "to students (forwardpass's .gitignore keeps course.toml out of git). grade, gradescope, nbgrader and "
        "release read it."
    )
    return EXIT_PASSED
