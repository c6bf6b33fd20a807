"""Reading a submission into the Python source the worker runs: a .py file, or a notebook's code."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from graders import registry
from graders.spec import Exercise

MAX_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class Submission:
    """One file to grade as one exercise."""

    exercise_id: str
    path: Path
    label: str  # how results name the file, e.g. "exercises/ex01_my_model.py"

    @property
    def exercise(self) -> Exercise:
        return registry.get(self.exercise_id)


class UnreadableSubmission(ValueError):
    """The file cannot become Python source; the message says why, for the student."""


def notebook_code(data: bytes) -> str:
    """The code cells of a notebook, in order; IPython magics and shell lines become comments."""
    try:
        notebook = json.loads(data)
        cells = notebook["cells"]
    except (ValueError, KeyError, TypeError):
        raise UnreadableSubmission("the notebook is not valid .ipynb JSON (was it saved completely?)") from None
    chunks = []
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else str(source)
        lines = [f"# {line}" if line.lstrip().startswith(("%", "!")) else line for line in text.splitlines()]
        chunks.append("\n".join(lines))
    return "\n\n".join(chunks) + "\n"


def read_submission(path: Path) -> bytes:
    """The bytes of Python source to run for ``path``; decoding is left to the worker."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise UnreadableSubmission(f"the file is {size:,} bytes; submissions may be at most {MAX_BYTES:,}")
        data = path.read_bytes()
    except OSError as error:
        raise UnreadableSubmission(f"the file could not be read ({error.strerror})") from None
    if path.suffix == ".ipynb":
        return notebook_code(data).encode()
    return data
