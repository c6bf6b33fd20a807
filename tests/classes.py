"""Graded classes made by hand, without the engine: every outcome a report must tell apart."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from graders import registry
from graders.bulk.results import ClassResults, StudentResults, not_submitted
from graders.results import CheckResult, ExerciseResult

EX01, EX13 = "ex01_my_model", "ex13_evaluate"
CONV2 = ("conv2", "parameter_count", "output_shape", "output_values", "gradients")
STUB = "`MyModel.__init__` is not implemented yet (line 43): replace the `raise NotImplementedError` with your code."


def result(
    exercise_id: str,
    failing: Mapping[str, str] | Iterable[str] = (),
    error: str | None = None,
    failure: str | None = None,
    unfinished: bool = False,
) -> ExerciseResult:
    """An exercise's result: the checks in ``failing`` failed (with these messages), or, with
    ``error``, none could be graded; ``unfinished``: they failed on a stub's code."""
    messages = failing if isinstance(failing, Mapping) else dict.fromkeys(failing, "Your value is not the reference's.")
    checks = []
    for check in registry.get(exercise_id).checks:
        passed = error is None and check.id not in messages
        message = error or messages.get(check.id, "As the reference.")
        checks.append(
            CheckResult(
                check.id,
                check.title,
                check.points if passed else 0.0,
                check.points,
                passed,
                check.visibility,
                message,
                unfinished and not passed,
            )
        )
    status = "error" if error else "failed" if messages else "passed"
    return ExerciseResult(
        exercise_id, registry.get(exercise_id).title, f"{exercise_id}.py", status, error, tuple(checks), failure
    )


def stub(exercise_id: str) -> ExerciseResult:
    """The untouched stub: every check says the code is not implemented yet."""
    return result(exercise_id, dict.fromkeys((c.id for c in registry.get(exercise_id).checks), STUB), unfinished=True)


def student(key: str, results: Mapping[str, ExerciseResult], test: bool = False) -> StudentResults:
    everything = {}
    for exercise_id in (EX01, EX13):
        everything[exercise_id] = results.get(exercise_id) or not_submitted(registry.get(exercise_id), True)
    absent = frozenset(e for e in (EX01, EX13) if e not in results)
    return StudentResults(key, key.title(), key, False, everything, absent, test=test)


def conv2_wrong(channels: int) -> ExerciseResult:
    message = f"Your conv2 has {channels} output channels; the reference's has 20 output channels."
    return result(EX01, dict.fromkeys(CONV2, message))


def mixed_class() -> ClassResults:
    """Twenty students and Canvas's Test Student on ex01 and ex13:

    - ex01: twelve pass, three made the class's mistake (conv2's channels; two of them with 10,
      one with 30), two handed in the stub, one could not be graded, two handed nothing in;
    - ex13: only three tried: one passed, two did not give the model its mode back;
    - the Test Student failed everything it handed in, which no statistic may count.
    """
    mode = "Called predict(model, x): model.training is False afterwards; yours left the model in eval mode."
    ex13 = {0: result(EX13), 1: result(EX13, {"mode_restored": mode}), 2: result(EX13, {"mode_restored": mode})}
    students = [
        student(f"pass{i:02}", {EX01: result(EX01)} | ({EX13: ex13[i]} if i in ex13 else {})) for i in range(12)
    ]
    students += [student("wrong10a", {EX01: conv2_wrong(10)}), student("wrong10b", {EX01: conv2_wrong(10)})]
    students.append(student("wrong30", {EX01: conv2_wrong(30)}))
    students += [student(f"stub{i}", {EX01: stub(EX01)}) for i in range(2)]
    crash = "Your file has a SyntaxError on line 8: invalid syntax."
    students.append(student("crashed", {EX01: result(EX01, error=crash, failure="import")}))
    students += [student(f"absent{i}", {}) for i in range(2)]
    failing_everything = dict.fromkeys((c.id for c in registry.get(EX01).checks), "Wrong.")
    students.append(student("test student", {EX01: result(EX01, failing_everything)}, test=True))
    exercises = (registry.get(EX01), registry.get(EX13))
    return ClassResults("class.zip", exercises, students, include_hidden=True)
