"""Gradescope's ``results.json``: a submission's results as Gradescope's autograder format has them.

One test per check, named after its exercise and check; hidden checks are visible
``after_published`` and say only whether they passed (``graders.reporters.student``). The bulk
grader writes one per student; a Gradescope autograder writes the same for its one submission.

What a student can read before grades are published — the ``output`` above the tests and the
visible tests — counts the public checks only (``overview``): a hidden check's outcome and points
are in the ``after_published`` tests and in the total ``score``, which Gradescope records.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from graders.i18n import _
from graders.reporters.student import check_message
from graders.results import CheckResult, ExerciseResult
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


def public(result: ExerciseResult) -> list[CheckResult]:
    return [check for check in result.checks if check.visibility == "public"]


def points(value: float) -> str:
    return f"{value:g}"


def overview(results: Sequence[ExerciseResult], files: Mapping[str, str]) -> list[str]:
    """The lines above the tests that a student reads before grades are published: the public checks'
    points in all and per exercise (with the file graded, from ``files``), and what the hidden checks
    are worth, never how they went."""
    score = sum(check.points for result in results for check in public(result))
    most = sum(check.max_points for result in results for check in public(result))
    lines = [_("Public checks: {score}/{most} points.").format(score=points(score), most=points(most))]
    for result in results:
        mine = public(result)
        lines.append(
            _("{exercise}: {score}/{most} on its public checks ({file})").format(
                exercise=result.id,
                score=points(sum(check.points for check in mine)),
                most=points(sum(check.max_points for check in mine)),
                file=files.get(result.id) or _("no file found"),
            )
        )
    hidden = sum(check.max_points for result in results for check in result.checks if check.visibility == "hidden")
    if hidden:
        lines.append(
            _(
                "Hidden checks, worth {points} more points, run your code on inputs that are not shown; their "
                "results appear once grades are published."
            ).format(points=points(hidden))
        )
    return lines


def late_sentence(penalty: float) -> str:
    if not penalty:
        return _("Submitted late.")
    return _("Submitted late: the course takes {share}% off the total.").format(share=f"{penalty * 100:g}")


def results_json(
    results: Sequence[ExerciseResult], execution_time: float, output: str = "", score: float | None = None
) -> dict[str, Any]:
    """The whole ``results.json`` object for one submission's ``results``; ``score``, when the
    total is not the tests' sum (a late penalty)."""
    document: dict[str, Any] = {
        "score": sum(result.score for result in results) if score is None else score,
        "execution_time": round(execution_time, 3),
        "tests": [test for result in results for test in tests(result)],
    }
    if output:
        document["output"] = output
    return clean_json(document)
