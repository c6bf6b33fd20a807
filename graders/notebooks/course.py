"""An nbgrader course directory built from solutions/: one source notebook per exercise.

Each exercise is an assignment of its own, ``source/<exercise id>/<exercise id>.ipynb``:

1. the assignment (the solution's docstring) as Markdown;
2. the given code, read-only, and one autograded-answer cell per definition with a solution region;
3. forwardpass's grading cell, worth no points: it grades the cells above once, in a fresh
   sandboxed process (``graders.notebooks.kernel``), with the hidden checks where the course grades;
4. one autograder-test cell per check, carrying the check's points in the course.

Every locked cell is the same in source/ and in release/: no ``### BEGIN HIDDEN TESTS`` region,
which ``nbgrader generate_assignment`` would cut from the release after recording the source's
checksum, so that ``nbgrader autograde`` would report every untouched notebook's cell as changed.
What stays hidden is the inputs (the course's secret seed), not the test cells' code: a hidden
check's cell reads forwardpass's verdict like any other, and the grading cell runs the hidden
checks only where the course's settings are (``nbgrader_config.py`` sets them for the kernels).

``nbgrader_config.py`` puts forwardpass on the path of nbgrader and of the kernels it starts, names
the course (its secret seed, its hint policy) and adds ``graders.notebooks.autograde`` to
``nbgrader autograde``. Rebuilding rewrites source/ and the config; release/, submitted/,
autograded/, feedback/ and the gradebook are left alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from graders import i18n, registry
from graders.course import SELF_LEARNER, Course, scaled
from graders.i18n import N_, _, ngettext
from graders.notebooks.cells import split_solution
from graders.notebooks.markdown import to_markdown
from graders.sources import GRADING_CELL
from graders.spec import Check, Exercise
from graders.stubs import described_in

DEFAULT_COURSE = registry.ROOT / "build" / "nbgrader"
COURSE_ID = "forwardpass"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}

CHECKS_HEADING = N_("Checks")
CHECKS_TEXT = N_(
    "The cells below grade your notebook with forwardpass, the way `python -m graders check` grades a\n"
    "file: the code cells above run again, from scratch, in a separate sandboxed process, so objects\n"
    "left in this notebook take no part. Restart the kernel and run all cells (Kernel → Restart & Run\n"
    "All) before you read the checks. Code below this point is not graded.\n"
    "\n"
    "Each check is worth the points in its cell's first line. Hidden checks run when your notebook is\n"
    "graded, on inputs you do not see."
)


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
    return ngettext("{points} point", "{points} points", 1 if points == 1 else 2).format(points=f"{points:g}")


def grading_source(exercise: Exercise) -> str:
    """The grading cell: it grades, in the notebook's language (the one spoken while it is written)."""
    language = i18n.language()
    comment = _(
        "forwardpass grades the code cells above once, in a fresh sandboxed process (python -m graders check);\n"
        "the checks below read its verdict. Hidden checks run when your course grades the notebook.\n"
        "This cell is worth no points."
    )
    called = repr(exercise.id) + (f", language={language!r}" if language != i18n.ENGLISH else "")
    lines = [
        *(f"# {line}" for line in comment.splitlines()),
        "from graders.notebooks.kernel import grade_cells",
        "",
        f"forwardpass = grade_cells({called})",
    ]
    return "\n".join(lines)


def check_source(check: Check, points: float) -> str:
    """A check's test cell: it asserts forwardpass's verdict, worth ``points`` in the course."""
    values = {"check": check.id, "points": describe_points(points), "title": _(check.title)}
    if check.visibility == "hidden":
        first = _("Hidden check {check} ({points}): {title}. It runs when your course grades the notebook.")
    else:
        first = _("Check {check} ({points}): {title}")
    return "\n".join(
        [
            "# " + first.format(**values),
            f"passed, message = forwardpass.verdict({check.id!r})",
            "assert passed, message",
        ]
    )


def cell(kind: str, source: str, grade_id: str, **metadata: object) -> nbformat.NotebookNode:
    make = new_markdown_cell if kind == "markdown" else new_code_cell
    return make(source, id=grade_id, metadata=nbgrader_metadata(grade_id, **metadata))


def source_notebook(exercise: Exercise, solution: str, course: Course = SELF_LEARNER) -> nbformat.NotebookNode:
    """The instructor's notebook of one exercise, solutions in place, its checks at the course's points."""
    parsed = split_solution(solution, f"{exercise.id}.py")
    cells = [cell("markdown", to_markdown(parsed.docstring), "assignment", locked=True)]
    for index, part in enumerate(parsed.parts, start=1):
        if part.kind == "answer":
            cells.append(cell("code", part.source, f"answer-{part.name}", solution=True))
        else:
            cells.append(cell("code", part.source, f"given-{part.name or index}", locked=True))
    cells.append(cell("markdown", "## " + _(CHECKS_HEADING) + "\n\n" + _(CHECKS_TEXT), "checks", locked=True))
    cells.append(cell("code", grading_source(exercise), GRADING_CELL, grade=True, locked=True, points=0.0))
    scale = course.scale(exercise.id)
    for check in exercise.checks:
        points = scaled(check.points, scale)
        cells.append(
            cell("code", check_source(check, points), check_cell_id(check.id), grade=True, locked=True, points=points)
        )
    notebook = new_notebook(cells=cells, metadata={"kernelspec": KERNELSPEC, "language_info": {"name": "python"}})
    nbformat.validate(notebook)
    return notebook


def course_settings(course: Course) -> str:
    """The config's lines that name the course: its file (read where nbgrader loads the config), or,
    without one, the public default seed, said to be no secret."""
    if course.path is not None:
        return f"""
# The course graded for (graders/course.py): the hidden checks' secret seed and the hint policy, read
# from the course file, which stays private. The kernels' grading cells read it through FORWARDPASS_COURSE.
from graders.course import read  # noqa: E402

COURSE_FILE = {str(course.path.resolve())!r}
course = read(Path(COURSE_FILE))
os.environ["FORWARDPASS_COURSE"] = COURSE_FILE
c.ForwardpassVerdicts.secret_seed = course.secret_seed
c.ForwardpassVerdicts.hints = course.hints
"""
    seed = course.secret_seed if course.secret_seed is not None else registry.DEFAULT_SECRET_SEED
    public = (
        " the public default, no secret (for trying forwardpass out)" if seed == registry.DEFAULT_SECRET_SEED else ""
    )
    return f'''
# No course file: the hidden checks' inputs come from this seed{public}. A course makes its
# course file (`python -m graders course init`), then runs `python -m graders nbgrader` again.
os.environ["FORWARDPASS_SECRET_SEED"] = "{seed}"
c.ForwardpassVerdicts.secret_seed = {seed}
c.ForwardpassVerdicts.hints = {course.hints!r}
'''


def config_source(course: Course = SELF_LEARNER, language: str = i18n.ENGLISH) -> str:
    return f'''\
"""nbgrader's configuration for the forwardpass course, written by `python -m graders nbgrader`.

Regenerating rewrites this file and source/; release/, submitted/, autograded/, feedback/ and
gradebook.db are left alone.
"""

import os
import sys
from pathlib import Path

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
# The language the notebooks were written in, and what autograde's own messages say.
c.ForwardpassVerdicts.language = {language!r}
{course_settings(course)}'''


def write_course(
    root: Path, exercise_ids: Sequence[str], course: Course = SELF_LEARNER, language: str = i18n.ENGLISH
) -> list[Path]:
    """Write ``nbgrader_config.py`` and the source notebooks of ``exercise_ids`` for ``course``, in
    ``language``; returns the files written."""
    root.mkdir(parents=True, exist_ok=True)
    config = root / "nbgrader_config.py"
    config.write_text(config_source(course, language), encoding="utf-8")
    written = [config]
    for exercise_id in exercise_ids:
        exercise = registry.get(exercise_id)
        solution = described_in(registry.solution_path(exercise), language)
        folder = root / "source" / exercise_id
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{exercise_id}.ipynb"
        with i18n.speaking(language):
            nbformat.write(source_notebook(exercise, solution, course), path)
        written.append(path)
    return written
