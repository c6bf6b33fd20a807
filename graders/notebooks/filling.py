"""Students' notebooks made from the released one: answers written in, as a student would.

For tests and benchmarks that put the same code through ``nbgrader autograde`` and through
``python -m graders check``: the reference's answers, or a whole ``.py`` submission in the first
answer cell (the other answer cells emptied, so that nothing else redefines its names).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import nbformat
from nbformat.notebooknode import NotebookNode


def answer_ids(notebook: NotebookNode) -> list[str]:
    """The grade ids of the notebook's autograded-answer cells, in order."""
    return [
        cell.metadata["nbgrader"]["grade_id"]
        for cell in notebook.cells
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution")
    ]


def with_answers(release: NotebookNode, answers: Mapping[str, str]) -> NotebookNode:
    """A copy of ``release`` whose answer cells (by grade id) hold ``answers``."""
    notebook = nbformat.from_dict(release)
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    return notebook


def reference_answers(source: NotebookNode) -> dict[str, str]:
    """The instructor's notebook's answer cells, solutions in place."""
    return {
        cell.metadata["nbgrader"]["grade_id"]: cell.source
        for cell in source.cells
        if cell.metadata.get("nbgrader", {}).get("solution")
    }


def with_code(release: NotebookNode, code: str) -> NotebookNode:
    """``code`` (a whole module) in the first answer cell; the other answer cells left empty."""
    first, *others = answer_ids(release)
    return with_answers(release, {first: code, **dict.fromkeys(others, "")})


def submit(notebook: NotebookNode, course: Path, student: str, assignment: str) -> Path:
    """Put ``notebook`` where ``nbgrader autograde`` looks for the student's submission."""
    path = course / "submitted" / student / assignment / f"{assignment}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
    return path
