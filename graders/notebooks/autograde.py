"""``nbgrader autograde``'s trusted step: the test cells' points come from forwardpass, run by
nbgrader's own process, not from what the student's kernel printed in them.

nbgrader runs the test cells in the student's kernel, after the student's cells, and scores a test
cell by its outputs: full points without an error or stderr output. Code in that kernel can make
any cell look passed (an IPython hook that rewrites or silences cells, a patched ``subprocess``).
``ForwardpassVerdicts`` runs after nbgrader's Execute: it grades the notebook's code cells with the
sandboxed engine, and where a test cell's outputs would score otherwise than forwardpass's verdict,
it replaces them with the verdict and says so. A notebook is then as tamper-resistant as a ``.py``
submission, as far as its score goes; what the kernel run itself can reach is the README's topic.
"""

from __future__ import annotations

import atexit
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat
from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Enum, Int

from graders import i18n, registry
from graders.course import HINT_POLICIES, HintPolicy
from graders.i18n import _
from graders.notebooks.course import check_cell_id
from graders.notebooks.kernel import summary
from graders.policy import shown
from graders.sources import Submission, is_grading_cell, is_test_cell

if TYPE_CHECKING:
    from graders.engine.client import Engine
    from graders.results import ExerciseResult

_engine: Engine | None = None


def engine() -> Engine:
    """One warm engine for the whole ``nbgrader autograde`` run (nbgrader's other commands load
    this module with their configuration, and need neither it nor torch)."""
    from graders.engine.client import Engine

    global _engine
    if _engine is None:
        _engine = Engine(jobs=1)
        _engine.start()
        atexit.register(_engine.close)
    return _engine


def grade_notebook(nb: NotebookNode, exercise_id: str, secret_seed: int, policy: HintPolicy) -> ExerciseResult:
    """forwardpass's result for the notebook's code, hidden checks included, as the course's hint
    policy lets students read it."""
    from graders.grading import grade
    from graders.options import Options

    with tempfile.TemporaryDirectory(prefix="forwardpass-autograde-") as folder:
        path = Path(folder) / f"{exercise_id}.ipynb"
        nbformat.write(nb, path)
        submission = Submission(exercise_id, path, f"{exercise_id}.ipynb")
        (result,) = grade([submission], engine(), Options(include_hidden=True, secret_seed=secret_seed))
    return shown([result], policy)[0]


def stream(text: str) -> NotebookNode:
    return nbformat.v4.new_output("stream", name="stdout", text=text + "\n")


def failure(message: str) -> NotebookNode:
    return nbformat.v4.new_output(
        "error", ename="AssertionError", evalue=message, traceback=[f"AssertionError: {message}"]
    )


class ForwardpassVerdicts(NbGraderPreprocessor):
    """Score forwardpass notebooks' test cells from forwardpass's own verdicts."""

    # The course's settings, which nbgrader_config.py sets from the course file.
    secret_seed = Int(registry.DEFAULT_SECRET_SEED, help="the hidden checks' secret seed").tag(config=True)
    hints = Enum(HINT_POLICIES, default_value="all", help="the course's hint policy").tag(config=True)
    language = Enum(i18n.LANGUAGES, default_value=i18n.ENGLISH, help="the notebooks' language").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        with i18n.speaking(self.language):
            return self.judged(nb, resources)

    def judged(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        name = resources["nbgrader"]["notebook"]  # the notebook's name in the gradebook, not the student's word
        exercise_id = registry.lookup(name)
        grading = next((cell for cell in nb.cells if is_grading_cell(cell)), None)
        if exercise_id is None or grading is None:
            self.log.warning("forwardpass: %s is not a forwardpass notebook; its test cells are scored as usual", name)
            return nb, resources
        result = grade_notebook(nb, exercise_id, self.secret_seed, self.hints)
        kernel_ran = grading.get("execution_count") is not None
        verdicts = {check_cell_id(check.id): check for check in result.checks}
        report = result.to_json()
        overruled = []
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if cell.cell_type != "code" or not is_test_cell(cell) or grade_id not in verdicts:
                continue
            check = verdicts[grade_id]
            max_points = float(cell.metadata.nbgrader["points"])
            points = max_points if check.passed else 0.0
            kernel_points, _max_points = utils.determine_grade(cell, self.log)
            if kernel_points == points:
                continue  # the kernel's run agrees: keep what the student saw
            cell.outputs = [] if check.passed else [failure(check.message)]
            if kernel_ran:
                overruled.append(grade_id)
                cell.outputs.insert(
                    0,
                    stream(
                        _(
                            "forwardpass: this check's points come from grading your code outside the notebook's "
                            "kernel ({points} of {max_points}); the kernel's run of this cell gave {kernel_points}."
                        ).format(points=f"{points:g}", max_points=f"{max_points:g}", kernel_points=f"{kernel_points:g}")
                    ),
                )
        grading.outputs = [stream(summary(report))]
        if overruled:
            self.log.warning(
                "forwardpass: %s of %s: the kernel's run disagreed with forwardpass in %s; forwardpass counts",
                name,
                resources["nbgrader"].get("student"),
                ", ".join(overruled),
            )
        return nb, resources


def autograde_preprocessors(run_kernel: bool = True) -> list[type]:
    """nbgrader's autograde steps with ``ForwardpassVerdicts`` after its Execute; without
    ``run_kernel`` the notebook is not executed at all and the student's code runs only in
    forwardpass's sandbox."""
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import Execute

    steps = list(Autograde.class_traits()["autograde_preprocessors"].make_dynamic_default())
    at = steps.index(Execute)
    steps.insert(at + 1, ForwardpassVerdicts)
    if not run_kernel:
        steps.remove(Execute)
    return steps
