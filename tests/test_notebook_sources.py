"""Notebooks as submissions and as an nbgrader course, without running nbgrader (see test_nbgrader.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from graders import registry
from graders.course import initial, read
from graders.course import write as write_course_file
from graders.notebooks.course import source_notebook, write_course
from graders.notebooks.kernel import course_grades
from graders.notebooks.markdown import to_markdown
from graders.sources import GRADING_CELL, MAX_BYTES, UnreadableSubmission, notebook_source, read_source
from tests.conftest import grade_paths

EX01 = "ex01_my_model"
SOLUTION = registry.solution_path(registry.get(EX01)).read_text()


def nbgrader_cell(source: str, grade_id: str, **flags: bool) -> nbformat.NotebookNode:
    metadata = {"grade": False, "solution": False, "locked": False, "schema_version": 3, "grade_id": grade_id}
    return new_code_cell(source, metadata={"nbgrader": {**metadata, **flags, "points": 1.0}})


def nonblank(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def write(path: Path, *cells: nbformat.NotebookNode) -> Path:
    nbformat.write(new_notebook(cells=list(cells)), path)
    return path


def test_a_notebooks_code_leaves_out_test_cells_and_everything_below_the_grading_cell() -> None:
    notebook = new_notebook(
        cells=[
            new_markdown_cell("# Exercise"),
            new_code_cell("import torch\n%matplotlib inline"),
            nbgrader_cell("assert False, 'a test of the course'", "test-a", grade=True),
            new_code_cell("x = 1"),
            nbgrader_cell("grade_cells()", GRADING_CELL, grade=True),
            new_code_cell("y = 2  # scratch work after the checks"),
        ]
    )
    source = notebook_source(nbformat.writes(notebook).encode())
    assert source.code.decode() == "import torch\n# %matplotlib inline\n\nx = 1\n"
    # Code cells are numbered as Jupyter numbers them after Restart & Run All, skipped ones included.
    assert source.where(1) == "code cell 1, line 1"
    assert source.where(2) == "code cell 1, line 2"
    assert source.where(4) == "code cell 3, line 1"
    assert source.where(3) is None and source.where("4") is None


def code_cell(source: object) -> dict:
    return {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": source}


def notebook_bytes(*cells: object) -> bytes:
    return json.dumps({"cells": list(cells), "metadata": {}, "nbformat": 4, "nbformat_minor": 5}).encode()


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (notebook_bytes(code_cell("x = 1"), code_cell(["x = ", 1])), "code cell 2's source is not text"),
        (notebook_bytes(code_cell({"lines": "x = 1"})), "code cell 1's source is not text"),
        (b'{"cells": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "not valid .ipynb JSON"),
        (b"[" * 500_000, "not valid .ipynb JSON"),
        (b'["cells"]', "not valid .ipynb JSON"),
        (b'{"cells": "all of them"}', "not valid .ipynb JSON"),
        (b"\xff\xfe{", "not valid .ipynb JSON"),
    ],
    ids=[
        "a number in a source list",
        "a source that is a dict",
        "nested deeply",
        "cut short deep",
        "a list",
        "cells a string",
        "not utf-8",
    ],
)
def test_a_malformed_notebook_is_unreadable_whatever_it_holds(tmp_path: Path, data: bytes, why: str) -> None:
    path = tmp_path / "ex01_my_model.ipynb"
    path.write_bytes(data)
    with pytest.raises(UnreadableSubmission, match=why):
        read_source(path)


def test_no_more_than_the_size_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "ex01_my_model.IPYNB"
    path.write_bytes(b" " * (MAX_BYTES + 1))
    with pytest.raises(UnreadableSubmission, match=f"{MAX_BYTES + 1:,} bytes"):
        read_source(path)
    path.write_bytes(notebook_bytes(code_cell(["x = 1\n", "y = 2"])))
    assert read_source(path).code == b"x = 1\ny = 2\n"  # a notebook, whatever the case of its suffix


@pytest.mark.slow
def test_check_grades_notebooks_and_names_the_cell_of_an_error(engine, tmp_path: Path) -> None:
    reference = tmp_path / "reference.ipynb"
    nbformat.write(source_notebook(registry.get(EX01), SOLUTION), reference)
    syntax = write(
        tmp_path / "syntax.ipynb",
        new_code_cell("from torch import nn"),
        new_code_cell("class MyModel(nn.Module):\n    def __init__(self)\n        super().__init__()"),
    )
    raises = write(
        tmp_path / "raises.ipynb",
        new_markdown_cell("Notes"),
        new_code_cell("import torch.nn.functional as F\nfrom torch import nn"),
        new_code_cell(
            "class MyModel(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
            "        self.conv1 = nn.Conv2d(1, 20, 5)\n\n    def forward(self, x):\n"
            "        raise NotImplementedError()"
        ),
    )
    results = grade_paths(engine, [(EX01, reference), (EX01, syntax), (EX01, raises)])
    assert results[0].status == "passed" and results[0].score == results[0].max_score
    assert results[1].status == "error"
    assert "SyntaxError in code cell 2, line 2" in results[1].error
    assert results[2].status == "error"
    assert "not implemented yet (code cell 2, line 7)" in results[2].error


def test_every_exercise_becomes_a_valid_nbgrader_source_notebook(tmp_path: Path) -> None:
    write_course(tmp_path, registry.ids())
    assert "autograde_preprocessors(run_kernel=True)" in (tmp_path / "nbgrader_config.py").read_text()
    for exercise_id in registry.ids():
        exercise = registry.get(exercise_id)
        notebook = nbformat.read(tmp_path / "source" / exercise_id / f"{exercise_id}.ipynb", as_version=4)
        metadata = [cell.metadata["nbgrader"] for cell in notebook.cells]
        assert notebook.cells[0].cell_type == "markdown" and notebook.cells[0].source.startswith("# Exercise")
        answers = [cell for cell in notebook.cells if cell.metadata["nbgrader"]["solution"]]
        assert answers and all("### BEGIN SOLUTION" in cell.source for cell in answers)
        tests = {m["grade_id"]: m["points"] for m in metadata if m["grade"]}
        assert tests.pop(GRADING_CELL) == 0
        assert tests == {f"check-{check.id}": check.points for check in exercise.checks}
        for cell in notebook.cells:
            # nbgrader records a locked cell's checksum before generate_assignment cuts what it hides:
            # a locked cell that hides nothing is the same in the release, and autograde sees no change.
            if cell.metadata["nbgrader"]["locked"]:
                assert "### BEGIN HIDDEN TESTS" not in cell.source and "### BEGIN SOLUTION" not in cell.source
        # The graded code of the instructor's notebook is the solution's code, docstring aside.
        code = notebook_source(nbformat.writes(notebook).encode()).code.decode()
        solution = registry.solution_path(exercise).read_text()
        after_docstring = solution[solution.index('"""', 3) + 3 :]
        assert nonblank(code) == nonblank(after_docstring), exercise_id


def test_docstrings_become_markdown() -> None:
    text = to_markdown("Exercise 09 — Freeze.\n\nCall ``f(x)``::\n\n    >>> f(1)\n    2\n\nDone.\n")
    assert text == "# Exercise 09 — Freeze\n\nCall `f(x)`:\n\n```python\n>>> f(1)\n2\n```\n\nDone.\n"


def test_quiet_keeps_warnings_and_stderr_out_of_a_test_cell() -> None:
    program = """
import os, sys, warnings
import torch
from graders.notebooks.kernel import quiet
warnings.simplefilter("always")
with quiet():
    torch.tensor(torch.ones(1))                      # PyTorch's UserWarning, through warnings
    print("python-level", file=sys.stderr)
    os.write(2, b"[W NNPACK.cpp:64] C++-level\\n")    # how PyTorch's C++ code warns
print("done")
os.write(2, b"after\\n")
"""
    done = subprocess.run(
        [sys.executable, "-c", program], cwd=registry.ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "done\n"
    assert done.stderr == "after\n"


def test_kernel_side_verdicts_read_the_contracts_json() -> None:
    from graders.notebooks.kernel import Verdicts

    report = json.loads(
        '{"id": "ex01_my_model", "score": 1.0, "max_score": 2.0, "error": null, "checks": ['
        '{"id": "a", "points": 1.0, "max_points": 1.0, "passed": true, "visibility": "public", "message": "ok"},'
        '{"id": "b", "points": 0.0, "max_points": 1.0, "passed": false, "visibility": "hidden", "message": "no"}]}'
    )
    verdicts = Verdicts(EX01, report, hidden=True)
    assert verdicts.verdict("a") == (True, "ok")
    assert verdicts.verdict("b") == (False, "no")
    assert verdicts.verdict("c")[0] is False  # the hidden checks ran, and none is called c
    # In a student's own kernel the hidden checks do not run: their cells pass, saying nothing.
    assert Verdicts(EX01, report).verdict("c") == (True, "")
    assert "✗ 0/1  b (hidden)" in verdicts.summary()
    broken = Verdicts(EX01, None, "python -m graders check exited with status 3")
    assert broken.verdict("a") == (False, "forwardpass could not grade this notebook: " + broken.problem)


def test_the_config_hands_the_course_file_to_autograde_and_to_the_kernels(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from traitlets.config.loader import PyFileConfigLoader

    from graders.notebooks.autograde import ForwardpassVerdicts

    course_file = tmp_path / "course.toml"
    write_course_file(initial("none", (EX01,), 0.0, seed=123456789012), course_file)
    course = read(course_file)
    write_course(tmp_path / "nbgrader", [EX01], course)
    config_text = (tmp_path / "nbgrader" / "nbgrader_config.py").read_text()
    assert "123456789012" not in config_text  # the seed stays in the course file
    # Loading the config sets what nbgrader's kernels inherit: restored after the test.
    for name in ("FORWARDPASS_COURSE", "FORWARDPASS_SECRET_SEED", "PYTHONPATH"):
        monkeypatch.setenv(name, "")
    monkeypatch.setattr(sys, "path", list(sys.path))
    config = PyFileConfigLoader("nbgrader_config.py", path=str(tmp_path / "nbgrader")).load_config()
    verdicts = ForwardpassVerdicts(config=config)
    assert (verdicts.secret_seed, verdicts.hints) == (123456789012, "none")
    assert os.environ["FORWARDPASS_COURSE"] == str(course_file.resolve()) and course_grades()
