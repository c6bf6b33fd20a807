"""Real nbgrader, real Jupyter kernels: the course that `make nbgrader` builds grades as forwardpass does.

nbgrader is slow (a kernel, an `import torch` and a forwardpass run per notebook), so one course
is built, released and autograded once for the module, with six notebooks:

- ex01_my_model (one answer cell holding a class; a hidden check): the reference; the untouched
  release; the reference with code that prints PyTorch warnings to stderr; a wrong submission
  (conv2 with 10 channels) that also tampers with the kernel so that failed asserts vanish; and
  the same wrong code with its conv2 test cell edited to assert nothing;
- ex08_manual_sgd (two answer cells holding functions): a wrong submission (a hard-coded learning
  rate) that passes the public checks and fails only the hidden ones, graded by the kernel alone.

Errors named by notebook cell, and the other wrong submissions, are graded without nbgrader in
test_notebook_sources.py and test_curriculum.py.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from graders import registry
from graders.notebooks.course import write_course
from graders.notebooks.filling import reference_answers, submit, with_answers, with_code
from graders.notebooks.nbgrader_cli import nbgrader

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]  # a busy machine makes nbgrader slower

SUBMISSIONS = Path(__file__).parent / "submissions"
EXERCISES = ("ex01_my_model", "ex08_manual_sgd")
OVERRULED = "this check's points come from grading your code outside the notebook's kernel"

# Prints PyTorch warnings from the student's cell (Python's warnings, and a C++-style line written
# straight to file descriptor 2) and from forward, which the checks call.
WARNINGS = """

import os
import warnings

import torch

warnings.simplefilter("always")
torch.tensor(torch.ones(1))  # UserWarning: To copy construct from a tensor, it is recommended ...
os.write(2, b"[W NNPACK.cpp:64] Could not initialize NNPACK! Reason: Unsupported hardware.\\n")
_forward = MyModel.forward


def noisy_forward(self, x):
    torch.tensor(torch.ones(1))
    return _forward(self, x)


MyModel.forward = noisy_forward
"""

# Empties every later cell that asks forwardpass for a verdict: with nbgrader alone, every test cell
# of this wrong submission would score full points.
TAMPER = """

try:
    get_ipython().input_transformers_post.append(lambda lines: [] if "verdict(" in "".join(lines) else lines)
except NameError:  # not in a kernel: nothing to tamper with
    pass
"""


CHANGED = re.compile(r"Attribute '(\w+)' for cell (\S+) has changed")
NOTEBOOK = re.compile(r"(?:Sanitizing|Autograding) .*?(?:submitted|autograded)/([^/]+)/")


def changed_cells(log: str) -> dict[str, set[tuple[str, str]]]:
    """Student -> the (attribute, cell) pairs nbgrader's log says were changed in their notebook."""
    found: dict[str, set[tuple[str, str]]] = {}
    student = None
    for line in log.splitlines():
        notebook = NOTEBOOK.search(line)
        student = notebook.group(1) if notebook else student
        changed = CHANGED.search(line)
        if changed:
            found.setdefault(student, set()).add(changed.groups())
    return found


def edited(notebook: nbformat.NotebookNode, grade_id: str, source: str) -> nbformat.NotebookNode:
    """``notebook`` with the cell ``grade_id``'s source replaced, as a student editing a locked cell would."""
    (cell,) = [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id]
    cell.source = source
    return notebook


def code(exercise_id: str, name: str) -> str:
    return (SUBMISSIONS / exercise_id / f"{name}.py").read_text()


def students(course: Path) -> dict[str, tuple[str, str]]:
    """Student id -> (exercise, the code graded), each submitted as a notebook of the release."""
    release = {e: nbformat.read(course / "release" / e / f"{e}.ipynb", as_version=4) for e in EXERCISES}
    source = {e: nbformat.read(course / "source" / e / f"{e}.ipynb", as_version=4) for e in EXERCISES}
    plan = {
        "ex01-reference": ("ex01_my_model", None),
        "ex01-release": ("ex01_my_model", ""),
        "ex01-warnings": ("ex01_my_model", (registry.SOLUTIONS / "ex01_my_model.py").read_text() + WARNINGS),
        "ex01-tamper": ("ex01_my_model", code("ex01_my_model", "wrong_conv2_10_channels") + TAMPER),
        "ex01-edited": ("ex01_my_model", code("ex01_my_model", "wrong_conv2_10_channels")),
        "ex08-wrong-lr": ("ex08_manual_sgd", code("ex08_manual_sgd", "wrong_hardcoded_lr")),
    }
    for student, (exercise, text) in plan.items():
        if text is None:
            notebook = with_answers(release[exercise], reference_answers(source[exercise]))
        elif text == "":
            notebook = release[exercise]
        else:
            notebook = with_code(release[exercise], text)
        if student == "ex01-edited":
            notebook = edited(notebook, "check-conv2", "assert True  # nothing to see here")
        submit(notebook, course, student, exercise)
    return {student: exercise for student, (exercise, _) in plan.items()}


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("course")
    write_course(root, EXERCISES)
    generated = nbgrader(root, "generate_assignment", "*", timeout=600)
    assert generated.returncode == 0, generated.stdout + generated.stderr
    graded = students(root)
    autograded = nbgrader(root, "autograde", "*", timeout=1200)
    assert autograded.returncode == 0, autograded.stdout + autograded.stderr
    return {"root": root, "students": graded, "log": autograded.stderr}


def nbgrader_points(root: Path, student: str, exercise: str) -> dict[str, float]:
    """The gradebook's points per test cell (check id) of one autograded notebook."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        notebook = gradebook.find_submission_notebook(exercise, exercise, student)
        grades = [grade for grade in notebook.grades if grade.name != "forwardpass"]
        return {grade.name.removeprefix("check-"): grade.score for grade in grades}


def forwardpass_points(notebooks: list[Path], exercise: str) -> list[dict[str, float]]:
    """What `python -m graders check --all` gives each notebook's code (one run for them all)."""
    done = subprocess.run(
        [sys.executable, "-m", "graders", "check", *map(str, notebooks), "--exercise", exercise, "--all", "--json"],
        cwd=registry.ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode in (0, 1), done.stderr
    reports = json.loads(done.stdout)["exercises"]
    return [{check["id"]: check["points"] for check in report["checks"]} for report in reports]


def autograded(root: Path, student: str, exercise: str) -> nbformat.NotebookNode:
    return nbformat.read(root / "autograded" / student / exercise / f"{exercise}.ipynb", as_version=4)


def outputs_of(notebook: nbformat.NotebookNode, grade_id: str) -> list:
    (cell,) = [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id]
    return cell.outputs


def test_generate_assignment_gives_students_stubs_and_no_hidden_tests(course: dict) -> None:
    for exercise in EXERCISES:
        path = course["root"] / "release" / exercise / f"{exercise}.ipynb"
        text = "\n".join(cell.source for cell in nbformat.read(path, as_version=4).cells)
        assert "# YOUR CODE HERE\n" in text and "raise NotImplementedError()" in text
        assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text and "hidden = True" not in text
        assert "Hidden check" in text  # the hidden checks' cells are there, their assertions are not


def test_autograde_gives_every_notebook_the_points_check_gives_its_code(course: dict) -> None:
    root = course["root"]
    for exercise in EXERCISES:
        names = [student for student, of in course["students"].items() if of == exercise]
        notebooks = [root / "submitted" / student / exercise / f"{exercise}.ipynb" for student in names]
        for student, expected in zip(names, forwardpass_points(notebooks, exercise), strict=True):
            assert nbgrader_points(root, student, exercise) == expected, student
    ex01 = registry.get("ex01_my_model")
    assert sum(nbgrader_points(root, "ex01-reference", ex01.id).values()) == ex01.max_score(True)
    assert sum(nbgrader_points(root, "ex01-release", ex01.id).values()) == 0
    wrong_lr = nbgrader_points(root, "ex08-wrong-lr", "ex08_manual_sgd")
    hidden = {check.id for check in registry.get("ex08_manual_sgd").checks if check.visibility == "hidden"}
    assert {check for check, points in wrong_lr.items() if points == 0} == hidden


def test_only_an_edited_test_cell_is_reported_as_changed(course: dict) -> None:
    # Untouched and honestly completed notebooks give nbgrader no reason to warn of tampering: their
    # locked cells are the source's, checksum and all. The edited one is reported, and graded as it is.
    changed = changed_cells(course["log"])
    assert changed == {"ex01-edited": {("checksum", "check-conv2")}}, changed
    assert nbgrader_points(course["root"], "ex01-edited", "ex01_my_model")["conv2"] == 0
    assert "Autograding" in course["log"] and "ex01-release" in course["log"]


def test_the_kernels_own_run_of_the_test_cells_agrees_for_every_honest_notebook(course: dict) -> None:
    # ForwardpassVerdicts overrules a test cell only where the kernel's run would score otherwise.
    root = course["root"]
    for student, exercise in course["students"].items():
        if student in ("ex01-tamper", "ex01-edited"):
            continue
        notebook = autograded(root, student, exercise)
        assert OVERRULED not in json.dumps(notebook), student
    feedback = outputs_of(autograded(root, "ex08-wrong-lr", "ex08_manual_sgd"), "check-hidden_steps")
    assert feedback[0]["ename"] == "AssertionError" and "hidden model" in feedback[0]["evalue"]
    release = outputs_of(autograded(root, "ex01-release", "ex01_my_model"), "check-conv1")
    assert "not implemented yet (code cell 2, line 6)" in release[0]["evalue"]


def test_pytorch_warnings_on_stderr_cost_no_points(course: dict) -> None:
    root = course["root"]
    notebook = autograded(root, "ex01-warnings", "ex01_my_model")
    printed = [
        output
        for cell in notebook.cells
        if cell.cell_type == "code" and not cell.metadata["nbgrader"].get("grade")
        for output in cell.outputs
        if output.get("name") == "stderr"
    ]
    assert any("UserWarning" in output["text"] for output in printed)  # the student's cell did warn
    tests = [c for c in notebook.cells if c.metadata["nbgrader"].get("grade")]
    assert not [output for cell in tests for output in cell.outputs if output.get("name") == "stderr"]
    assert sum(nbgrader_points(root, "ex01-warnings", "ex01_my_model").values()) == 12


def test_a_kernel_that_hides_failed_asserts_gains_nothing(course: dict) -> None:
    root = course["root"]
    points = nbgrader_points(root, "ex01-tamper", "ex01_my_model")
    assert 0 < sum(points.values()) < registry.get("ex01_my_model").max_score(True)
    assert points["conv2"] == 0  # its conv2 has 10 channels: the kernel's run of this cell passed it
    overruled = outputs_of(autograded(root, "ex01-tamper", "ex01_my_model"), "check-conv2")
    assert OVERRULED in overruled[0]["text"] and "gave 1" in overruled[0]["text"]
    assert overruled[1]["ename"] == "AssertionError" and "10 output channels" in overruled[1]["evalue"]
    assert "disagreed with forwardpass in check-conv2" in course["log"]


def test_the_notebooks_are_written_in_the_chosen_language(tmp_path: Path) -> None:
    """Its Markdown (the assignment), the checks' cells and the grading cell say it in Korean; the grading
    cell asks for Korean, and so does autograde's configuration. The code is the solution's."""
    (config, path) = write_course(tmp_path, ["ex01_my_model"], language="ko")
    cells = nbformat.read(path, as_version=4).cells
    assignment = cells[0].source
    assert assignment.startswith("# ") and "nn.Module" in assignment and "클래스" in assignment
    grading = next(cell.source for cell in cells if "grade_cells(" in cell.source)
    assert "forwardpass = grade_cells('ex01_my_model', language='ko')" in grading and "채점" in grading
    checks = [cell.source for cell in cells if "forwardpass.verdict(" in cell.source]
    assert checks and all(source.startswith("# 검사") or source.startswith("# 비공개 검사") for source in checks)
    assert "c.ForwardpassVerdicts.language = 'ko'" in config.read_text()
    (_config, english) = write_course(tmp_path / "en", ["ex01_my_model"])
    assert "grade_cells('ex01_my_model')" in nbformat.read(english, as_version=4).cells[-len(checks) - 1].source
