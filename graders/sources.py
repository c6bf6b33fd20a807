"""Reading a submission into the Python source the worker runs: a .py file, or a notebook's code.

A notebook's code is its code cells, in order, joined into one module. nbgrader's autograder-test
cells are left out (they hold the course's tests, not the student's code), and so is everything
below forwardpass's grading cell: the code graded is the code a top-to-bottom run has executed
when that cell runs. Errors then name the notebook's cell: "code cell 4, line 2".

Reading a file is untrusted work too: whatever its bytes, it becomes a ``Source`` or an
``UnreadableSubmission`` that tells the student why, and never another exception. At most
``MAX_BYTES`` are read; JSON nested deeper than the interpreter's recursion limit is refused.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graders import registry
from graders.i18n import N_, _
from graders.spec import Exercise

MAX_BYTES = 2 * 1024 * 1024
# The nbgrader grade_id of the cell that grades a notebook with forwardpass (graders/notebooks/).
GRADING_CELL = "forwardpass"
NOT_A_NOTEBOOK = N_("the notebook is not valid .ipynb JSON (was it saved completely?)")


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


@dataclass(frozen=True)
class CellSpan:
    """Where one notebook cell's code sits in the joined source."""

    number: int  # counts the notebook's code cells from 1: `In [number]` after Restart & Run All
    first_line: int
    lines: int


@dataclass(frozen=True)
class Source:
    """The Python source to run, and for a notebook which cell each of its lines came from."""

    code: bytes
    cells: tuple[CellSpan, ...] = ()

    def where(self, line: object) -> str | None:
        """``"code cell 4, line 2"`` for a line of a notebook's joined code; None for a plain file."""
        if not self.cells or not isinstance(line, int) or isinstance(line, bool):
            return None
        for cell in self.cells:
            if cell.first_line <= line < cell.first_line + cell.lines:
                return _("code cell {cell}, line {line}").format(cell=cell.number, line=line - cell.first_line + 1)
        return None

    def locate(self, errors: dict[str, Any]) -> None:
        """Add ``where`` to the error records (as the probe recorded them) that have a line."""
        for record in errors.values():
            where = self.where(record.get("line")) if isinstance(record, dict) else None
            if where:
                record["where"] = where


def nbgrader_metadata(cell: dict) -> dict:
    metadata = cell.get("metadata")
    nbgrader = metadata.get("nbgrader") if isinstance(metadata, dict) else None
    return nbgrader if isinstance(nbgrader, dict) else {}


def is_test_cell(cell: dict) -> bool:
    """An nbgrader autograder-test cell: the course's tests, not the student's code."""
    nbgrader = nbgrader_metadata(cell)
    return bool(nbgrader.get("grade")) and not nbgrader.get("solution")


def is_grading_cell(cell: dict) -> bool:
    return nbgrader_metadata(cell).get("grade_id") == GRADING_CELL


def cell_text(cell: dict, number: int) -> str:
    """Code cell ``number``'s source (a string, or a list of strings); IPython magics and shell lines
    become comments."""
    source = cell.get("source", "")
    parts = source if isinstance(source, list) else [source]
    if not all(isinstance(part, str) for part in parts):
        raise UnreadableSubmission(
            _("code cell {number}'s source is not text (was the notebook edited by hand?)").format(number=number)
        )
    text = "".join(parts)
    return "\n".join(f"# {line}" if line.lstrip().startswith(("%", "!")) else line for line in text.splitlines())


def notebook_source(data: bytes) -> Source:
    """The student's code of a notebook (see the module's docstring), with its cells' places."""
    try:
        notebook = json.loads(data)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than json's recursion limit
        raise UnreadableSubmission(_(NOT_A_NOTEBOOK)) from None
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        raise UnreadableSubmission(_(NOT_A_NOTEBOOK))
    chunks, spans, line, number = [], [], 1, 0
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        number += 1
        if is_grading_cell(cell):
            break
        if is_test_cell(cell):
            continue
        text = cell_text(cell, number)
        lines = max(1, len(text.splitlines()))
        chunks.append(text)
        spans.append(CellSpan(number, line, lines))
        line += lines + 1  # cells are joined by one blank line
    return Source(("\n\n".join(chunks) + "\n").encode(errors="replace"), tuple(spans))


def notebook_code(data: bytes) -> str:
    """The student's code of a notebook as text."""
    return notebook_source(data).code.decode()


def read_source(path: Path) -> Source:
    """The Python source to run for ``path``; decoding a .py file is left to the worker."""
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_BYTES + 1)
            size = os.fstat(file.fileno()).st_size
    except OSError as error:
        raise UnreadableSubmission(_("the file could not be read ({reason})").format(reason=error.strerror)) from None
    if len(data) > MAX_BYTES:
        raise UnreadableSubmission(
            _("the file is {size:,} bytes; submissions may be at most {limit:,}").format(size=size, limit=MAX_BYTES)
        )
    if path.suffix.lower() == ".ipynb":
        return notebook_source(data)
    return Source(data)


def read_submission(path: Path) -> bytes:
    """The bytes of Python source to run for ``path``."""
    return read_source(path).code
