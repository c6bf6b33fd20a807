"""The judge: the trusted parent's verdict on one (submission, exercise).

It sees only validated plain data — the student's observations and the reference's — and the
zygote's report. Nothing the student's code printed, returned as exit status or wrote to disk
takes part in the score.
"""

from __future__ import annotations

import traceback

from graders.engine.client import Outcome
from graders.engine.limits import Limits
from graders.explain import error_record, explain_error, explain_outcome, unfinished_function
from graders.i18n import N_, _
from graders.results import CheckResult, ExerciseResult, Failure
from graders.spec import Check, Exercise, Observations, Verdict, fail
from graders.text import clean, print_diagnostic

UNREACHED = N_("This could not be checked: {reason}")
HIDDEN_ERROR_HINT = N_(
    " Hidden checks use other inputs than the public ones: make sure your code does not depend on the "
    "public input's shape or values."
)


def judge(
    exercise: Exercise,
    file: str,
    outcome: Outcome | None,
    reference: Observations,
    include_hidden: bool,
    limits: Limits,
    error: str | None = None,
    cause: Failure = "engine",
) -> ExerciseResult:
    """Score one outcome against the reference. ``error`` (or a failed outcome) scores 0; ``cause``
    says whose it is: the grader's ("engine", graded again on the next run) or the file's."""
    checks = exercise.selected_checks(include_hidden)
    observations = outcome.observations if outcome else None
    observations = validated(observations) if observations is not None else None
    failure = cause if error is not None else None
    if error is None and outcome is not None and observations is None:
        error = explain_outcome(outcome.report, limits, outcome.problem)
        failure = classify_outcome(outcome, limits)
        if failure == "engine":  # the student is told it is not their fault; the TA needs the details
            print_diagnostic(f"forwardpass: the engine failed on {file}:\n{outcome.report.detail}")
    unfinished = False
    if error is None and observations.fatal is not None:
        fatal = observations.errors[observations.fatal]
        error = explain_error(fatal, exercise.error_hints, limits)
        unfinished = unfinished_function(fatal) is not None
        failure = (
            "import"
            if observations.fatal == "import"
            else "missing"
            if fatal.get("type") in ("MissingName", "WrongKind")
            else "exception"
        )
    extras = {}
    if outcome is not None:
        report = outcome.report
        extras = {
            "stdout": clean(report.stdout),
            "stderr": clean(report.stderr),
            "seconds": report.wall_seconds,
        }
    if error is not None:
        results = tuple(result_of(check, Verdict(False, error, unfinished)) for check in checks)
        return ExerciseResult(exercise.id, _(exercise.title), file, "error", clean(error), results, failure, **extras)

    results = tuple(result_of(check, verdict(exercise, check, observations, reference, limits)) for check in checks)
    status = "passed" if all(result.passed for result in results) else "failed"
    return ExerciseResult(exercise.id, _(exercise.title), file, status, None, results, **extras)


def validated(observations: Observations) -> Observations:
    """A student's observations with every error record validated (``explain.error_record``): the
    one place where the judge takes them in. Values need no more: checks compare them with the
    reference's, whatever their types, and a check that trips over one fails (``verdict``)."""
    errors = {key: error_record(record) for key, record in observations.errors.items()}
    return Observations(observations.values, errors, observations.stopped_by, observations.fatal)


def classify_outcome(outcome: Outcome, limits: Limits) -> Failure:
    """The kind of a worker that left no usable observations (explain_outcome gives the words)."""
    report = outcome.report
    if report.status in ("timeout", "cpu", "memory"):
        return report.status
    if report.status == "engine_error":
        return "engine"
    if report.signal is not None:
        return "crash"
    return "tampering" if outcome.problem else "exit"


def verdict(
    exercise: Exercise, check: Check, student: Observations, reference: Observations, limits: Limits
) -> Verdict:
    hidden = check.visibility == "hidden"
    for key in check.needs:
        if key in student.errors:
            error = student.errors[key]
            message = explain_error(error, exercise.error_hints, limits, hidden=hidden)
            return Verdict(
                False, message + (_(HIDDEN_ERROR_HINT) if hidden else ""), unfinished_function(error) is not None
            )
        if key not in reference.values:
            raise KeyError(f"{exercise.id}: the reference recorded no {key!r}, which check {check.id!r} needs")
    for key in check.needs:
        if key not in student.values:
            # What stopped the probe or, within a section, the most recent error (errors keep their order).
            cause = student.stopped_by if student.stopped_by in student.errors else next(reversed(student.errors), None)
            if cause is None:
                return fail(_(UNREACHED).format(reason=_("your code did not get this far.")))
            error = student.errors[cause]
            reason = explain_error(error, exercise.error_hints, limits, hidden=hidden)
            return Verdict(False, _(UNREACHED).format(reason=reason), unfinished_function(error) is not None)
    try:
        return check.judge(student, reference)
    except Exception:
        # A check that trips over unexpected data is the grader's bug; the student must not
        # get points for it, and the TA must hear of it.
        print_diagnostic(f"forwardpass: check {exercise.id}.{check.id} failed:\n{traceback.format_exc()}")
        return fail(
            _("The grader could not compare your result for '{check}' (a grader problem; tell your TA).").format(
                check=_(check.title)
            )
        )


def result_of(check: Check, verdict: Verdict) -> CheckResult:
    return CheckResult(
        id=check.id,
        title=_(check.title),
        points=check.points if verdict.passed else 0.0,
        max_points=check.points,
        passed=verdict.passed,
        visibility=check.visibility,
        message=clean(verdict.message),
        unfinished=verdict.unfinished,
    )
