"""Saved files in a folder: from file events (watchdog) where the system has them, by polling
where it does not (network drives, containers, a missing watchdog) or when asked to.

Editors save in several ways — writing in place, or writing a temporary file and renaming it over
the old one — and one save can raise several events. ``wait`` gathers what changed during a short
quiet period and reports each file once, and only if its contents' signature (size, time, inode)
really changed.
"""

from __future__ import annotations

import os
import queue
import time
from collections.abc import Callable
from pathlib import Path

from graders.i18n import _

POLL_SECONDS = 0.25
QUIET_SECONDS = 0.05  # more events of the same save arrive within this

Signature = tuple[int, int, int]


def signature(path: Path) -> Signature | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size, info.st_ino)


class Changes:
    """The files of ``folder`` that ``wanted`` accepts, reported when they are saved."""

    def __init__(self, folder: Path, wanted: Callable[[Path], bool], poll: bool = False):
        self.folder = folder
        self.wanted = wanted
        self.events: queue.Queue[Path] = queue.Queue()
        self.known = {path: signature(path) for path in self.files()}
        self.observer = None if poll else self._start_observer()

    @property
    def mode(self) -> str:
        if self.observer is not None:
            return _("file events")
        return _("polling every {seconds} s").format(seconds=f"{POLL_SECONDS:g}")

    def files(self) -> list[Path]:
        try:
            return sorted(path for path in self.folder.iterdir() if path.is_file() and self.wanted(path))
        except OSError:
            return []

    def _start_observer(self):
        """watchdog's native observer, or None where it cannot run here."""
        try:
            from watchdog.events import FileSystemEventHandler
            from watchdog.observers import Observer
        except ImportError:
            return None
        events, wanted, folder = self.events, self.wanted, self.folder

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event) -> None:
                if event.is_directory:
                    return
                for raw in (event.src_path, getattr(event, "dest_path", "")):
                    if raw:
                        path = folder / Path(os.fsdecode(raw)).name  # named as files() names it
                        if wanted(path):
                            events.put(path)

        observer = Observer()
        try:
            observer.schedule(Handler(), str(self.folder), recursive=False)
            observer.start()
        except OSError:  # no inotify (or its watches used up): poll instead
            return None
        return observer

    def stop(self) -> None:
        if self.observer is not None:
            self.observer.stop()
            self.observer.join(timeout=5)
            self.observer = None

    def wait(self, timeout: float) -> list[Path]:
        """The files saved since the last call, waiting up to ``timeout`` seconds for one."""
        deadline = time.monotonic() + timeout
        candidates: set[Path] = set()
        while not candidates:
            left = deadline - time.monotonic()
            if left <= 0:
                return []
            if self.observer is not None:
                try:
                    candidates.add(self.events.get(timeout=min(left, 0.5)))
                except queue.Empty:
                    continue
            else:
                time.sleep(min(left, POLL_SECONDS))
                candidates.update(self.files())
                candidates.update(self.known)
            candidates = {path for path in candidates if signature(path) != self.known.get(path)}
        time.sleep(QUIET_SECONDS)
        while not self.events.empty():
            candidates.add(self.events.get_nowait())
        changed = []
        for path in sorted(candidates):
            now = signature(path)
            if now != self.known.get(path):
                self.known[path] = now
                if now is not None:
                    changed.append(path)
        return changed
