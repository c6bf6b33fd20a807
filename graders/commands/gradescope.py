"""``python -m graders gradescope [--out ZIP] [--exercises LIST] [--seed N]``: the autograder to upload
to a Gradescope programming assignment (see graders/release/gradescope.py). Exit status: 0 when it
was written, 1 when a reference solution failed, 2 when the command was used wrongly."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from graders import registry
from graders.commands import EXIT_FAILED, EXIT_PASSED, UsageError
from graders.commands.grade import wanted_exercises

NAME = "gradescope"
HELP = "build the Gradescope autograder (setup.sh, run_autograder): hidden checks included, no solutions"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out", default=str(registry.ROOT / "dist" / "gradescope-autograder.zip"), metavar="ZIP", help="where to"
    )
    parser.add_argument("--exercises", metavar="LIST", help="the assignment's exercises, e.g. ex01,ex02 (default: all)")
    parser.add_argument(
        "--seed",
        type=int,
        default=os.environ.get("FORWARDPASS_SECRET_SEED"),
        help="the secret seed of the hidden checks' inputs (or set FORWARDPASS_SECRET_SEED)",
    )


def run(args: argparse.Namespace) -> int:
    from graders.reference import ReferenceFailed
    from graders.release.gradescope import build_bundle

    exercises = wanted_exercises(args.exercises) or registry.ids()
    missing = [e for e in exercises if not registry.solution_path(registry.get(e)).exists()]
    if missing:
        raise UsageError(f"the autograder is built from the solutions, and {registry.SOLUTIONS} lacks {missing}")
    seed = int(args.seed) if args.seed is not None else registry.DEFAULT_SECRET_SEED
    try:
        bundle = build_bundle(Path(args.out), exercises, seed)
    except ReferenceFailed as error:
        print(f"python -m graders gradescope: {error}", file=sys.stderr)
        return EXIT_FAILED
    print(
        f"Wrote {bundle.path}: the autograder for {len(bundle.exercises)} exercise(s), {bundle.points:g} points "
        "(give the assignment as many). Upload it as a Gradescope programming assignment's autograder."
    )
    if args.seed is None:
        print(
            f"Note: the hidden checks' inputs come from the default secret seed ({seed}), which this repository "
            "publishes. Set FORWARDPASS_SECRET_SEED (or --seed) to your course's own number and build it again.",
            file=sys.stderr,
        )
    return EXIT_PASSED
