"""Watch mode through a real process: save a file, see its new result; stop it, and nothing is
left running. Once with file events, once polling."""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SERVICE_SETTING

from graders import registry

SUBMISSIONS = Path(__file__).parent / "submissions" / "ex01_my_model"
WAIT_SECONDS = 180  # engine start and grading on a loaded machine; the test asserts no speed


class Watcher:
    """``python -m graders watch`` with its output read line by line as it comes."""

    def __init__(self, tmp_path: Path, *args: str):
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONPATH": str(registry.ROOT),
            "FORWARDPASS_STATE": str(tmp_path / "state"),
            "NO_COLOR": "1",
            **SERVICE_SETTING,
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "graders", "watch", *args],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def until(self, wanted: Callable[[str], bool], what: str) -> str:
        """Output up to and including the first line ``wanted`` accepts."""
        chunk = []
        while True:
            try:
                line = self.lines.get(timeout=WAIT_SECONDS)
            except queue.Empty:
                line = None
            if line is None:
                raise AssertionError(f"no {what} in the output:\n{''.join(self.seen)}")
            self.seen.append(line)
            chunk.append(line)
            if wanted(line):
                return "".join(chunk)

    def next_result(self) -> str:
        """Everything printed for the next save, up to the waiting line."""
        return self.until(lambda line: line.startswith("Watching"), "result of the saved file")

    def descendants(self) -> dict[int, str]:
        """The watcher's child processes and theirs, with their command lines."""
        found, todo = {}, [self.process.pid]
        while todo:
            pid = todo.pop()
            for task in Path(f"/proc/{pid}/task").glob("*"):
                with contextlib.suppress(OSError):
                    for child in (task / "children").read_text().split():
                        found[int(child)] = command_line(int(child))
                        todo.append(int(child))
        return found

    def stop(self, signum: int) -> str:
        children = self.descendants()
        assert any("graders.engine.zygote" in command for command in children.values()), children
        self.process.send_signal(signum)
        assert self.process.wait(timeout=60) == 0
        rest = self._drain()
        still = {pid: command for pid, command in children.items() if command_line(pid) == command}
        assert still == {}, f"left running after the watcher stopped: {still}"
        return rest

    def _drain(self) -> str:
        rest = []
        while (line := self.lines.get(timeout=WAIT_SECONDS)) is not None:
            rest.append(line)
        self.seen.extend(rest)
        return "".join(rest)


def command_line(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return None


def save_in_place(path: Path, source: Path) -> None:
    path.write_text(source.read_text())


def save_by_rename(path: Path, source: Path) -> None:
    """As vim and many editors save: a new file renamed over the old one."""
    partial = path.with_name(f".{path.name}.swp")
    partial.write_text(source.read_text())
    os.replace(partial, path)


@pytest.fixture
def watcher_cleanup():
    started: list[Watcher] = []
    yield started
    for watcher in started:
        if watcher.process.poll() is None:
            watcher.process.kill()
            watcher.process.wait()


def test_watch_regrades_each_save_and_stops_cleanly_on_ctrl_c(tmp_path: Path, watcher_cleanup) -> None:
    folder = tmp_path / "exercises"
    folder.mkdir()
    for exercise_id in ("ex01_my_model", "ex02_init_vs_forward"):
        shutil.copy(registry.EXERCISES / f"{exercise_id}.py", folder)
    exercise = folder / "ex01_my_model.py"
    watcher = Watcher(tmp_path, "exercises")
    watcher_cleanup.append(watcher)

    first = watcher.next_result()
    assert "0/2 done" in first and "Next: ex01_my_model" in first
    assert "(file events)" in first

    save_in_place(exercise, SUBMISSIONS / "correct_nn_relu_modules.py")
    solved = watcher.next_result()
    assert "ex01_my_model.py saved" in solved
    assert "ex01_my_model · MyModel: your first nn.Module · 10/10" in solved
    assert "1/2 done" in solved and "Next: ex02_init_vs_forward" in solved

    save_by_rename(exercise, SUBMISSIONS / "wrong_conv2_10_channels.py")
    broken = watcher.next_result()
    assert "ex01_my_model · MyModel: your first nn.Module · 3/10" in broken
    assert "Your conv2 has 10 output channels; the reference's has 20 output channels." in broken
    assert "0/2 done" in broken and "hint 2 of 3" in broken

    assert "Stopped watching." in watcher.stop(signal.SIGINT)


def test_watch_polls_where_file_events_are_not_used_and_takes_a_file_named_otherwise(
    tmp_path: Path, watcher_cleanup
) -> None:
    exercise = tmp_path / "my_model.py"
    shutil.copy(registry.EXERCISES / "ex01_my_model.py", exercise)
    watcher = Watcher(tmp_path, "my_model.py", "--exercise", "01", "--poll")
    watcher_cleanup.append(watcher)

    first = watcher.next_result()
    assert "ex01_my_model · MyModel: your first nn.Module · 0/10" in first
    assert "is not implemented yet" in first and "(polling every" in first
    assert "Progress" not in first, "one file: no progress list"

    save_by_rename(exercise, SUBMISSIONS / "wrong_conv2_10_channels.py")
    broken = watcher.next_result()
    assert "Your conv2 has 10 output channels; the reference's has 20 output channels." in broken

    assert "Stopped watching." in watcher.stop(signal.SIGTERM)
