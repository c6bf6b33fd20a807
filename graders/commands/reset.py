"""``python -m graders reset EXERCISE``: put an exercise's stub back, keeping a backup of the
learner's file in .forwardpass/backups/."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from graders import i18n
from graders.commands import UsageError
from graders.i18n import _

NAME = "reset"
HELP = "restore an exercise's stub; your file is kept as a backup"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("exercise", metavar="EXERCISE", help="05, ex05, ex05_activation_recorder, or a file's path")


def backup(path: Path, folder: Path) -> Path:
    """A copy of ``path`` under a name that says when it was taken, never overwriting an older one."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = folder / f"{path.stem}.{stamp}{path.suffix}"
    serial = 1
    while target.exists():
        serial += 1
        target = folder / f"{path.stem}.{stamp}-{serial}{path.suffix}"
    target.write_bytes(path.read_bytes())
    return target


def run(args: argparse.Namespace) -> int:
    import os

    from graders.files import write_atomically
    from graders.learner import state
    from graders.learner.targets import stub_source, student_file

    exercise, path = student_file(args.exercise)
    if path.suffix != ".py":
        raise UsageError(_("reset restores the .py stub; {path} is not a .py file").format(path=path))
    stub = stub_source(exercise, i18n.language())
    if path.exists() and path.read_text(encoding="utf-8", errors="replace") == stub:
        print(_("{path} is already the stub; nothing to do.").format(path=path))
        return 0
    saved = backup(path, state.folder() / "backups") if path.exists() else None
    write_atomically(path, stub)
    print(_("Restored {path} to the stub of {exercise}.").format(path=path, exercise=exercise))
    if saved is not None:
        print(_("Your version is kept in {path}").format(path=os.path.relpath(saved)))
    return 0
