"""Importing from a Python runtime the worker's user may not read.

At reduced isolation as root, a worker becomes a user that owns nothing and belongs to no group: it
can open only what is open to others. A Python installed under a private home (pyenv in /root) is
not, so every module the zygote had not imported already (``secrets``, ``sysconfig``, ``termios``
...) failed to import. Now the worker opens each such folder while it is still root, and imports
through the descriptor (``/proc/self/fd/N/secrets.py``): the kernel checks permissions from that
folder down, not on the way to it. It costs a worker an ``open`` per folder and a finder, well under
a millisecond, and the zygote nothing; importing the whole standard library in the zygote instead
took 0.4 s at start and 23 MB that every fork copies page tables for, ran the side effects of
modules such as ``antigravity``, and still left out what site-packages imports lazily.

A descriptor of a folder also lets its holder climb out with ``..``, up to the nearest folder on the
way that others may not search: whatever lies below that one, others may read, the worker can read
too (``exposed_by``). So a folder is opened only where that holds nothing of the grader's (the
project: solutions/ and the reference cache live there by default); otherwise the worker goes
without it, and the isolation report says so once (``note``).
"""

from __future__ import annotations

import functools
import os
import stat
import sys
import types
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.machinery import ModuleSpec, PathFinder
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Plan:
    """Import folders the worker's user cannot read: those to open for it, and those withheld."""

    opened: tuple[str, ...] = ()
    withheld: tuple[str, ...] = ()


def others_may_list(path: Path) -> bool:
    """Whether a user who owns nothing and is in no group can list ``path``: every folder on the
    way there (through symbolic links, and where they lead) searchable by others, ``path`` readable."""
    real = path.resolve()
    on_the_way = {*Path(os.path.abspath(path)).parents, *real.parents, real}
    try:
        searchable = all(os.stat(folder).st_mode & stat.S_IXOTH for folder in on_the_way)
        return searchable and bool(os.stat(real).st_mode & stat.S_IROTH)
    except OSError:
        return False


def exposed_by(path: Path) -> Path:
    """The folder a descriptor of ``path`` opens to others: the one just below the nearest folder
    on its way up that others may not search (``..`` climbs that far, and no further)."""
    below = path.resolve()
    for folder in below.parents:
        if not os.stat(folder).st_mode & stat.S_IXOTH:
            return below
        below = folder
    return below


@functools.cache
def plan(reduced_as_root: bool, paths: tuple[str, ...]) -> Plan:
    """Which of ``paths`` (the worker's import path) to open for it. Made once, by the zygote."""
    if not reduced_as_root:
        return Plan()
    unreadable = [path for path in paths if Path(path).is_dir() and not others_may_list(Path(path))]
    outermost = [p for p in unreadable if not any(p != q and Path(p).is_relative_to(q) for q in unreadable)]
    opened = tuple(path for path in outermost if not PROJECT.is_relative_to(exposed_by(Path(path))))
    return Plan(opened, tuple(path for path in outermost if path not in opened))


def note(withheld: tuple[str, ...]) -> str:
    """What the isolation report says, once, about folders the workers could not be given."""
    if not withheld:
        return ""
    folders = ", ".join(withheld)
    return (
        f"The workers' user cannot read {folders}, and a way in would also open {exposed_by(Path(withheld[0]))}, "
        "which holds this project: modules the engine does not import before grading cannot be imported "
        "from there. Install Python where every user may read it, or grade with full isolation."
    )


def open_for_worker(opened: tuple[str, ...]) -> dict[str, str]:
    """Open each folder now, before the worker drops its privileges; the name to import it by."""
    return {path: f"/proc/self/fd/{os.open(path, os.O_RDONLY | os.O_DIRECTORY)}" for path in opened}


class Renamed:
    """A finder for ``sys.meta_path``: a submodule of a package the zygote imported from one of
    those folders (``json.tool`` after ``json``) is looked for by the new names. Rewriting each such
    package's ``__path__`` instead wrote to hundreds of objects the worker shares with the zygote,
    a copy-on-write fault each: 20 to 50 ms per job."""

    def __init__(self, renamed: dict[str, str]):
        self.renamed = renamed

    def through(self, path: str) -> str:
        for folder, name in self.renamed.items():
            if path == folder or path.startswith(folder + os.sep):
                return name + path[len(folder) :]
        return path

    def find_spec(
        self, name: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> ModuleSpec | None:
        moved = [self.through(entry) for entry in path or ()]
        if moved == list(path or ()):
            return None  # a top-level module (sys.path has the new names), or not from those folders
        return PathFinder.find_spec(name, moved, target)


def import_through(renamed: dict[str, str]) -> None:
    """Import from those folders by the new names: in ``sys.path``, and below packages already
    imported from them."""
    if renamed:
        finder = Renamed(renamed)
        sys.path[:] = [finder.through(path) for path in sys.path]
        sys.meta_path.insert(0, finder)
