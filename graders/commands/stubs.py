"""``python -m graders stubs [ID ...]``: regenerate exercises/ from solutions/ (for authors).

The stubs are English unless a language is asked for by name (``--lang`` or ``FORWARDPASS_LANG``), never
by the locale alone: the repository's exercises/ stays English, and the tests read it."""

from __future__ import annotations

import argparse
import sys

from graders import registry
from graders.commands import exercise_named, named_language

NAME = "stubs"
HELP = "regenerate exercises/ from solutions/ (for exercise authors)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("exercises", nargs="*", metavar="ID", help="only these exercises (default: all)")


def run(args: argparse.Namespace) -> int:
    from graders.stubs import StubError, write_stubs

    only = [exercise_named(name) for name in args.exercises]
    language = named_language(args)
    try:
        changed = write_stubs(registry.SOLUTIONS, registry.EXERCISES, only, language)
    except StubError as error:
        print(f"stubs: {error}", file=sys.stderr)
        return 1
    for path in changed:
        print(f"wrote {path.relative_to(registry.ROOT)}")
    print(f"{len(changed)} stub(s) changed" if changed else "exercises/ is up to date with solutions/")
    return 0
