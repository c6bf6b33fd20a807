"""``python -m graders submit [PATH ...] [--out submission.zip]``: run the public checks, show the
score, and pack the exercise files into a zip to hand in (see graders/release/submission.py).

Exit status: 0 when the zip was written, whatever the checks gave (they are shown, not enforced);
2 when the command was used wrongly or there was nothing to pack.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from graders.commands import EXIT_PASSED, UsageError, course_of
from graders.commands.check import add_grading_options
from graders.i18n import _, ngettext

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
        raise UsageError(_("--out must name a .zip file, not {target}").format(target=target))
    submissions, _notes = collect(args.paths, None)
    course = course_of(args)
    graded = check(args, course)
    print_for_a_person(graded, args.paths, policy=course.hints)
    try:
        listing = pack([submission.path for submission in submissions], target)
    except (OSError, ValueError) as error:
        raise UsageError(_("could not write {target}: {error}").format(target=target, error=error)) from None
    count, where = len(listing["files"]), os.path.relpath(target)
    packed = ngettext(
        "Packed {count} file into {zip} (forwardpass {version}); public checks: {score}.",
        "Packed {count} files into {zip} (forwardpass {version}); public checks: {score}.",
        count,
    ).format(count=count, zip=where, version=graders.__version__, score=f"{graded.score:g}/{graded.max_score:g}")
    hand_in = _(
        "Hand in {zip} as it is: upload it to your course's LMS or to Gradescope. Your course grades it again, "
        "with hidden checks as well."
    ).format(zip=target.name)
    print(f"\n{packed}\n{hand_in}")
    return EXIT_PASSED
