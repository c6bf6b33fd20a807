"""Files the grader writes and removes.

A file is written so that no reader, and no crash, ever leaves half of it: the whole text goes to a
temporary name beside it first (its own per process, should two write at once), then replaces it.

A folder a worker wrote in is removed whatever the worker made of it: however deep, with symbolic
links that lead anywhere, with permissions taken away. The removal works through descriptors of
folders it opened itself, never follows a symbolic link, never recurses, and never raises.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
from collections.abc import Iterator
from pathlib import Path

FOLDER = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
OWNER_ONLY = 0o700
# A folder that keeps refilling (a process still writing in it) is given up after this many passes.
PASSES = 100
MOVED_KEPT = 10_000  # folders remembered between scans; a wide tree costs no more memory than this
TAKEN = {errno.EEXIST, errno.ENOTEMPTY, errno.ENOTDIR, errno.EISDIR}  # rename onto a name in use


def write_atomically(path: Path, data: bytes | str, *, private: bool = False) -> None:
    """``data`` into ``path``, text as UTF-8; the folder is made if it is missing. ``private``: the
    file (0600) and a folder made for it (0700) are readable by the grader's user only, from the
    first byte on."""
    path.parent.mkdir(mode=OWNER_ONLY if private else 0o777, parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    with open(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666), "wb") as file:
        if private:
            os.fchmod(file.fileno(), 0o600)
        file.write(data.encode("utf-8") if isinstance(data, str) else data)
    os.replace(partial, path)


def remove_tree(path: Path) -> None:
    """Remove ``path`` and everything in it; what cannot be removed is left, and nothing is raised.

    Each folder found below ``path`` is moved up into ``path`` itself and emptied there, so the
    removal holds two folders open at most and never recurses, however deep the tree
    (``shutil.rmtree`` recurses, and raises RecursionError past a thousand levels even with
    ``ignore_errors``).
    """
    try:
        top = open_folder(str(path))
    except FileNotFoundError:
        return
    except OSError:  # a file or a symbolic link: removed, not followed
        with contextlib.suppress(OSError):
            os.unlink(path)
        return
    try:
        moved: list[str] = []
        names = itertools.count()
        for _pass in range(PASSES):
            progress = empty_pass(top, moved, names)
            while moved:
                with contextlib.suppress(OSError):
                    remove_folder(top, moved.pop(), moved, names)
                progress = True
            if not progress:
                break
    finally:
        os.close(top)
    with contextlib.suppress(OSError):
        os.rmdir(path)


def empty_pass(top: int, moved: list[str], names: Iterator[int]) -> bool:
    """One scan of the folder open as ``top``: each file and folder in it removed. True if anything
    was (a folder moved up during the scan may be found by the next)."""
    progress = False
    with contextlib.suppress(OSError), os.scandir(top) as entries:
        for entry in entries:
            with contextlib.suppress(OSError):
                if entry.is_dir(follow_symlinks=False):
                    remove_folder(top, entry.name, moved, names)
                else:
                    os.unlink(entry.name, dir_fd=top)
                progress = True
    return progress


def remove_folder(top: int, name: str, moved: list[str], names: Iterator[int]) -> None:
    """Remove the folder ``name`` in ``top``: its files unlinked, its folders moved up into ``top``
    and listed in ``moved`` (up to ``MOVED_KEPT``: a later scan of ``top`` finds the others)."""
    folder = open_folder(name, top)
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                with contextlib.suppress(OSError):
                    if entry.is_dir(follow_symlinks=False):
                        new_name = move_up(folder, entry.name, top, names)
                        if len(moved) < MOVED_KEPT:
                            moved.append(new_name)
                    else:
                        os.unlink(entry.name, dir_fd=folder)
    finally:
        os.close(folder)
    os.rmdir(name, dir_fd=top)


def move_up(folder: int, name: str, top: int, names: Iterator[int]) -> str:
    """Rename the folder ``name`` in ``folder`` to a name of its own in ``top``; returns that name."""
    for _attempt in range(PASSES):
        new_name = f".removing-{next(names)}"
        try:
            os.rename(name, new_name, src_dir_fd=folder, dst_dir_fd=top)
            return new_name
        except PermissionError:  # a folder that changes parent must be writable: its ".." changes
            unlock(name, folder)
        except OSError as error:  # the worker took that name: try the next
            if error.errno not in TAKEN:
                raise
    raise FileExistsError(errno.EEXIST, "no name to move a folder to", name)


def open_folder(name: str, parent: int | None = None) -> int:
    """A descriptor of the folder ``name`` (in ``parent``), never through a symbolic link, and
    readable, searchable and writable by its owner, whatever mode a worker left it in."""
    try:
        fd = os.open(name, FOLDER, dir_fd=parent)
    except PermissionError:
        unlock(name, parent)
        fd = os.open(name, FOLDER, dir_fd=parent)
    with contextlib.suppress(OSError):
        mode = os.fstat(fd).st_mode
        if mode & OWNER_ONLY != OWNER_ONLY:  # a folder without write access keeps its entries
            os.fchmod(fd, mode | OWNER_ONLY)
    return fd


def unlock(name: str, parent: int | None) -> None:
    """Give the owner of the folder ``name`` back the right to read, search and change it. Through a descriptor that
    can only name a folder: ``chmod`` by name would follow a symbolic link put there meanwhile."""
    handle = os.open(name, os.O_PATH | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=parent)
    try:
        os.chmod(f"/proc/self/fd/{handle}", OWNER_ONLY)
    finally:
        os.close(handle)
