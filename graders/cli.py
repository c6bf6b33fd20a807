"""The command line: ``python -m graders COMMAND ...``; each command lives in graders/commands/."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence

from graders import i18n
from graders.commands import (
    EXIT_INTERNAL,
    EXIT_USAGE,
    UsageError,
    check,
    course,
    course_language,
    engine,
    grade,
    gradescope,
    hint,
    nbgrader,
    release,
    reset,
    solution,
    stubs,
    submit,
    watch,
)
from graders.text import print_diagnostic

COMMANDS = (check, grade, hint, watch, reset, solution, submit, engine, stubs, course, nbgrader, release, gradescope)


def common_options() -> argparse.ArgumentParser:
    """The options every command takes."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--lang",
        choices=i18n.LANGUAGES,
        help="the language of what forwardpass says (default: FORWARDPASS_LANG, the course's, else the locale's)",
    )
    return common


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m graders", description="forwardpass: autograded nn.Module exercises.")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = common_options()
    for command in COMMANDS:
        sub = commands.add_parser(
            command.NAME,
            parents=[common],
            help=command.HELP,
            description=command.HELP[:1].upper() + command.HELP[1:] + ".",
        )
        command.add_arguments(sub)
        sub.set_defaults(run=command.run)
    return main


def language(args: argparse.Namespace) -> str:
    """The language the command speaks (``i18n.choose``); one it was told by name and does not speak is an error."""
    try:
        return i18n.choose(args.lang, os.environ, course_language(args))
    except ValueError as error:
        raise UsageError(str(error)) from None


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        i18n.use(language(args), i18n.catalogs_in(os.environ))
        return args.run(args)
    except UsageError as error:
        print_diagnostic(f"python -m graders {args.command}: {error}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception:  # a bug of forwardpass must not pass for "some check failed" (status 1)
        print_diagnostic(traceback.format_exc())  # it may quote a submission or a file name
        print(
            f"python -m graders {args.command}: forwardpass itself failed; this is a bug, not your code",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
