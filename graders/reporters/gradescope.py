"""Gradescope's ``results.json``: a submission's results as Gradescope's autograder format has them.

One test per check, named after its exercise and check; hidden checks are visible
``after_published`` and say only whether they passed (``graders.reporters.student``). The bulk
grader writes one per student; a Gradescope autograder writes the same for its one submission.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graders.reporters.student import check_message
from graders.results import ExerciseResult
from graders.text import clean_json

VISIBILITY = {"public": "visible", "hidden": "after_published"}


def tests(result: ExerciseResult) -> list[dict[str, Any]]:
    """Gradescope tests for one exercise: ``1.3``, "ex01_my_model · conv2 is Conv2d(20, 20, ...)"."""
    number = int(result.id[2:4])
    return [
        {
            "name": f"{result.id} · {check.title}",
            "number": f"{number}.{position}",
            "score": check.points,
            "max_score": check.max_points,
            "status": "passed" if check.passed else "failed",
            "output": check_message(result, check),
            "visibility": VISIBILITY[check.visibility],
        }
        for position, check in enumerate(result.checks, start=1)
    ]


def results_json(results: Sequence[ExerciseResult], execution_time: float, output: str = "") -> dict[str, Any]:
    """The whole ``results.json`` object for one submission's ``results``."""
    document: dict[str, Any] = {
        "score": sum(result.score for result in results),
        "execution_time": round(execution_time, 3),
        "tests": [test for result in results for test in tests(result)],
    }
    if output:
        document["output"] = output
    return clean_json(document)
