"""Running the real nbgrader command line on a course directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def nbgrader(course: Path, *args: str, timeout: float | None = None) -> subprocess.CompletedProcess[str]:
    """``nbgrader ARGS`` in ``course``, with this interpreter; its output is captured."""
    environment = dict(os.environ)
    # nbgrader runs `alembic` from PATH to set up its gradebook: this environment's bin/ first.
    environment["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), environment.get("PATH", "")])
    return subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=course,
        env=environment,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
