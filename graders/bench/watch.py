"""Watch mode's latency: from saving an exercise file to its new result on the screen.

A real ``python -m graders watch`` on a scratch copy of ex01, through the warm engine service as a
learner's is (started by the watcher, stopped at the end); the file is saved alternately right and
wrong, and each save is timed until the watcher prints that file's result line.
"""

from __future__ import annotations

import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from graders import registry

SAVES = 10
SAMPLES = registry.ROOT / "tests" / "submissions" / "ex01_my_model"


def upto(lines: Iterator[str], start: str) -> None:
    """Read the watcher's output up to a line that starts with ``start``."""
    seen = []
    for line in lines:
        if line.startswith(start):
            return
        seen.append(line)
    raise RuntimeError(f"the watcher stopped before printing {start!r}:\n{''.join(seen[-20:])}")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="forwardpass-bench-watch-") as scratch:
        folder = Path(scratch)
        exercise = folder / "ex01_my_model.py"
        shutil.copy(registry.EXERCISES / exercise.name, exercise)
        env = {
            **os.environ,
            "PYTHONPATH": str(registry.ROOT),
            "NO_COLOR": "1",
            "FORWARDPASS_STATE": str(folder / "state"),
        }
        started = time.monotonic()
        watcher = subprocess.Popen(
            [sys.executable, "-m", "graders", "watch", exercise.name],
            cwd=folder,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            lines = iter(watcher.stdout)
            upto(lines, "Watching")
            ready = time.monotonic() - started
            sources = [SAMPLES / "correct_nn_relu_modules.py", SAMPLES / "wrong_conv2_10_channels.py"]
            latencies = []
            for index in range(SAVES):
                exercise.write_text(sources[index % 2].read_text())
                saved = time.monotonic()
                upto(lines, "ex01_my_model · ")
                latencies.append(time.monotonic() - saved)
                upto(lines, "Watching")
        finally:
            watcher.send_signal(signal.SIGINT)
            watcher.wait(timeout=60)
            stop = [sys.executable, "-m", "graders", "engine", "stop"]  # the service it started, if it did
            subprocess.run(stop, cwd=folder, env=env, capture_output=True, check=False)
    print("watch mode: save to result on screen (python -m graders watch, ex01)")
    print(f"  start-up, engine and first grading     {ready:6.2f} s")
    print(f"  per save, median of {SAVES}                {statistics.median(latencies):6.2f} s")
    print(f"  per save, slowest                      {max(latencies):6.2f} s")
