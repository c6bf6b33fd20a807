"""One module per subcommand of ``python -m graders``.

Each module defines ``NAME``, ``HELP``, ``add_arguments(parser)`` and ``run(args) -> int``;
``graders/cli.py`` lists them. A new command is a new module and one line there.

The commands are where forwardpass meets its settings: the course file (``course_of``), the secret
seed (``secret_seed``) and the environment are read here and handed on as values.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from graders import i18n, registry
from graders.course import FILE_NAME, PUBLIC_FILE_NAME, SELF_LEARNER, Course, CourseError, read

EXIT_PASSED, EXIT_FAILED, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
COURSE_VARIABLE = "FORWARDPASS_COURSE"  # names the course file, for commands run where --course-file cannot be
SEED_VARIABLE = "FORWARDPASS_SECRET_SEED"


class UsageError(Exception):
    """The command was used wrongly; the message says how to use it rightly."""


def exercise_named(name: str) -> str:
    """The id ``name`` refers to (an id, ``ex05``, ``05``, ``5`` or a file named after one);
    a usage error that lists the exercises otherwise."""
    text = name.strip()
    if text.isdigit():
        text = f"ex{int(text):02d}"
    found = registry.lookup(text)
    if found is None:
        raise UsageError(f"unknown exercise {name!r}; the exercises are: {', '.join(registry.ids())}")
    return found


def add_course_options(parser: argparse.ArgumentParser, seed: bool = True) -> None:
    """The course file, and (``seed``) the secret seed and how to grade without one."""
    parser.add_argument(
        "--course-file",
        metavar="FILE",
        help=f"the course file (default: {COURSE_VARIABLE}, else {FILE_NAME} in forwardpass's folder, else the "
        f"{PUBLIC_FILE_NAME} of a student kit)",
    )
    if seed:
        parser.add_argument(
            "--seed",
            type=int,
            help=f"the hidden checks' secret seed (default: the course file's, or {SEED_VARIABLE})",
        )
        parser.add_argument(
            "--seed-not-secret",
            action="store_true",
            help=f"grade the hidden checks with the public default seed ({registry.DEFAULT_SECRET_SEED}), which "
            "every copy of forwardpass holds: for trying forwardpass out, never for credit",
        )


def course_path(args: argparse.Namespace, public: bool = True) -> Path | None:
    """The course file the command reads: --course-file, FORWARDPASS_COURSE, or in forwardpass's folder
    course.toml if there is one, else (``public``) the course's public file that a student kit holds."""
    named = getattr(args, "course_file", None) or os.environ.get(COURSE_VARIABLE)
    if named:
        return Path(named)
    names = (FILE_NAME, PUBLIC_FILE_NAME) if public else (FILE_NAME,)
    return next((registry.ROOT / name for name in names if (registry.ROOT / name).exists()), None)


def course_of(args: argparse.Namespace) -> Course:
    """The course the command works for; a self-learner's when there is no course file."""
    path = course_path(args)
    if path is None:
        return SELF_LEARNER
    if not path.is_file():
        raise UsageError(f"no such course file: {path} (`python -m graders course init` makes one)")
    try:
        return read(path)
    except CourseError as error:
        raise UsageError(str(error)) from None


def named_language(args: argparse.Namespace, found: Course = SELF_LEARNER) -> str:
    """The language asked for by name (--lang, FORWARDPASS_LANG) or set by the course, else English:
    what files handed out (stubs, the kit, notebooks) are written in, whatever the locale of whoever
    makes them."""
    try:
        return i18n.choose(
            getattr(args, "lang", None), {"FORWARDPASS_LANG": os.environ.get("FORWARDPASS_LANG", "")}, found.language
        )
    except ValueError as error:
        raise UsageError(str(error)) from None


def course_language(args: argparse.Namespace) -> str | None:
    """The language of the course file in use, if there is one and it can be read (a command that reads
    the course says what is wrong with it)."""
    try:
        return course_of(args).language
    except UsageError:
        return None


def secret_seed(args: argparse.Namespace, found: Course, for_credit: bool = True) -> int:
    """The hidden checks' seed: --seed or FORWARDPASS_SECRET_SEED, else the course file's. Grading
    ``for_credit`` with the public default (no seed given, or a course file that holds it) is
    refused, unless --seed-not-secret asks for it."""
    given = getattr(args, "seed", None)
    if given is None and os.environ.get(SEED_VARIABLE):
        try:
            given = int(os.environ[SEED_VARIABLE])
        except ValueError:
            raise UsageError(f"{SEED_VARIABLE} must be a whole number, not {os.environ[SEED_VARIABLE]!r}") from None
    if given is not None:
        return given
    seed = found.secret_seed if found.secret_seed is not None else registry.DEFAULT_SECRET_SEED
    if seed != registry.DEFAULT_SECRET_SEED or not for_credit or getattr(args, "seed_not_secret", False):
        return seed
    raise UsageError(
        f"the hidden checks' inputs would come from the public default seed ({registry.DEFAULT_SECRET_SEED}), "
        "which every copy of forwardpass holds: students could compute them. Make a course file with a secret "
        "seed of its own, `python -m graders course init`, and run this again; or pass --seed N (or set "
        f"{SEED_VARIABLE}); or, to try forwardpass out and not for credit, --seed-not-secret."
    )
