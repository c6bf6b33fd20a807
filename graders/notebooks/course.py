"""An nbgrader course directory built from solutions/: one source notebook per exercise.

Each exercise is an assignment of its own, ``source/<exercise id>/<exercise id>.ipynb``:

1. the assignment (the solution's docstring) as Markdown;
2. the given code, read-only, and one autograded-answer cell per definition with a solution region;
3. forwardpass's grading cell, worth no points: it grades the cells above once, in a fresh
   sandboxed process (``graders.notebooks.kernel``);
4. one autograder-test cell per check, carrying the check's points; hidden checks' cells keep
   their assertion inside ``### BEGIN HIDDEN TESTS`` / ``### END HIDDEN TESTS``.

``nbgrader_config.py`` puts forwardpass on the path of nbgrader and of the kernels it starts, and
adds ``graders.notebooks.autograde`` to ``nbgrader autograde``. Rebuilding rewrites source/ and the
config; release/, submitted/, autograded/, feedback/ and the gradebook are left alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from graders import registry
from graders.notebooks.cells import split_solution
from graders.notebooks.markdown import to_markdown
from graders.sources import GRADING_CELL
from graders.spec import Check, Exercise

DEFAULT_COURSE = registry.ROOT / "build" / "nbgrader"
COURSE_ID = "forwardpass"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"

CHECKS_TEXT = """\
## Checks

The cells below grade your notebook with forwardpass, the way `python -m graders check` grades a
file: the code cells above run again, from scratch, in a separate sandboxed process, so objects
left in this notebook take no part. Restart the kernel and run all cells (Kernel → Restart & Run
All) before you read the checks. Code below this point is not graded.

Each check is worth the points in its cell's first line. Hidden checks run when your notebook is
graded, on inputs you do not see."""


def nbgrader_metadata(
    grade_id: str, *, grade: bool = False, solution: bool = False, locked: bool = False, points: float | None = None
) -> dict:
    metadata = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3, "solution": solution}
    if grade:
        metadata["points"] = points or 0.0
    return {"nbgrader": metadata}


def check_cell_id(check_id: str) -> str:
    return f"check-{check_id}"


def describe_points(points: float) -> str:
    return f"{points:g} point" + ("" if points == 1 else "s")


def grading_source(exercise: Exercise) -> str:
    hidden = exercise.checks and any(check.visibility == "hidden" for check in exercise.checks)
    lines = [
        "# forwardpass grades the code cells above once, in a fresh sandboxed process (python -m graders check);",
        "# the checks below read its verdict. This cell is worth no points.",
        "from graders.notebooks.kernel import grade_cells",
        "",
        "hidden = False",
    ]
    if hidden:
        lines += [BEGIN_HIDDEN, "hidden = True", END_HIDDEN]
    lines.append(f"forwardpass = grade_cells({exercise.id!r}, hidden=hidden)")
    return "\n".join(lines)


def check_source(check: Check) -> str:
    assertion = [f"passed, message = forwardpass.verdict({check.id!r})", "assert passed, message"]
    if check.visibility == "hidden":
        first = f"# Hidden check {check.id} ({describe_points(check.points)}): {check.title}"
        return "\n".join([first, BEGIN_HIDDEN, *assertion, END_HIDDEN])
    return "\n".join([f"# Check {check.id} ({describe_points(check.points)}): {check.title}", *assertion])


def cell(kind: str, source: str, grade_id: str, **metadata: object) -> nbformat.NotebookNode:
    make = new_markdown_cell if kind == "markdown" else new_code_cell
    return make(source, id=grade_id, metadata=nbgrader_metadata(grade_id, **metadata))


def source_notebook(exercise: Exercise, solution: str) -> nbformat.NotebookNode:
    """The instructor's notebook of one exercise, solutions in place."""
    parsed = split_solution(solution, f"{exercise.id}.py")
    cells = [cell("markdown", to_markdown(parsed.docstring), "assignment", locked=True)]
    for index, part in enumerate(parsed.parts, start=1):
        if part.kind == "answer":
            cells.append(cell("code", part.source, f"answer-{part.name}", solution=True))
        else:
            cells.append(cell("code", part.source, f"given-{part.name or index}", locked=True))
    cells.append(cell("markdown", CHECKS_TEXT, "checks", locked=True))
    cells.append(cell("code", grading_source(exercise), GRADING_CELL, grade=True, locked=True, points=0.0))
    for check in exercise.checks:
        cells.append(
            cell("code", check_source(check), check_cell_id(check.id), grade=True, locked=True, points=check.points)
        )
    notebook = new_notebook(cells=cells, metadata={"kernelspec": KERNELSPEC, "language_info": {"name": "python"}})
    nbformat.validate(notebook)
    return notebook


def config_source() -> str:
    return f'''\
"""nbgrader's configuration for the forwardpass course, written by `python -m graders nbgrader`.

Regenerating rewrites this file and source/; release/, submitted/, autograded/, feedback/ and
gradebook.db are left alone.
"""

import os
import sys

# forwardpass must be importable by nbgrader and by the kernels it starts: the notebooks' grading
# cells import graders.notebooks.kernel. Set FORWARDPASS_ROOT when the repository moves.
FORWARDPASS = os.environ.get("FORWARDPASS_ROOT", {str(registry.ROOT)!r})
sys.path.insert(0, FORWARDPASS)
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [FORWARDPASS, os.environ.get("PYTHONPATH")]))

from graders.notebooks.autograde import autograde_preprocessors  # noqa: E402

c = get_config()  # noqa: F821
c.CourseDirectory.course_id = {COURSE_ID!r}

# The grading cell runs forwardpass once per notebook: seconds, more on a busy machine.
c.Execute.timeout = 300

# `nbgrader autograde` regrades every notebook with forwardpass in its own process after the kernel
# has run it, and the test cells' points come from that, not from the kernel. With
# run_kernel=False the student's code runs in forwardpass's sandbox only, never in a kernel on the
# grading machine; the feedback then shows no output of the student's cells.
c.Autograde.autograde_preprocessors = autograde_preprocessors(run_kernel=True)
'''


def write_course(root: Path, exercise_ids: Sequence[str]) -> list[Path]:
    """Write ``nbgrader_config.py`` and the source notebooks of ``exercise_ids``; returns the files written."""
    root.mkdir(parents=True, exist_ok=True)
    config = root / "nbgrader_config.py"
    config.write_text(config_source(), encoding="utf-8")
    written = [config]
    for exercise_id in exercise_ids:
        exercise = registry.get(exercise_id)
        solution = registry.solution_path(exercise).read_text(encoding="utf-8")
        folder = root / "source" / exercise_id
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{exercise_id}.ipynb"
        nbformat.write(source_notebook(exercise, solution), path)
        written.append(path)
    return written
