"""``python -m graders submit [PATH ...] [--out submission.zip]``: run the public checks, show the
score, and pack the exercise files into a zip to hand in (see graders/release/submission.py).

Exit status: 0 when the zip was written, whatever the checks gave (they are shown, not enforced);
2 when the command was used wrongly or there was nothing to pack.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from graders.commands import EXIT_PASSED, UsageError
from graders.commands.check import add_grading_options

NAME = "submit"
HELP = "run the public checks, then pack your exercise files into submission.zip to hand in"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help="exercise files or folders (default: exercises/)")
    parser.add_argument("--out", default="submission.zip", metavar="ZIP", help="the zip to write (submission.zip)")
    add_grading_options(parser)


def run(args: argparse.Namespace) -> int:
    import graders
    from graders.commands.check import check, collect, print_for_a_person
    from graders.release.submission import pack

    args.exercise, args.all = None, False  # what the student's own machine can check: the public checks
    target = Path(args.out)
    if target.suffix.lower() != ".zip":
        raise UsageError(f"--out must name a .zip file, not {target}")
    submissions, _ = collect(args.paths, None)
    graded = check(args)
    print_for_a_person(graded, args.paths)
    try:
        listing = pack([submission.path for submission in submissions], target)
    except (OSError, ValueError) as error:
        raise UsageError(f"could not write {target}: {error}") from None
    count, where = len(listing["files"]), os.path.relpath(target)
    print(
        f"\nPacked {count} file{'s' * (count != 1)} into {where} (forwardpass {graders.__version__}); "
        f"public checks: {graded.score:g}/{graded.max_score:g}.\n"
        f"Hand in {target.name} as it is: upload it to your course's LMS or to Gradescope. "
        "Your course grades it again, with hidden checks as well."
    )
    return EXIT_PASSED
