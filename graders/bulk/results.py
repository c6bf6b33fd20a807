"""The graded class: what every output (gradebook, feedback, results.json, report, summary) is built from."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from graders.bulk.inputs import Note
from graders.results import CheckResult, ExerciseResult
from graders.spec import Exercise

NOT_SUBMITTED = (
    "No file for this exercise was found in your submission (name it {file}, or start its name with {number}_)."
)


def not_submitted(exercise: Exercise, include_hidden: bool) -> ExerciseResult:
    """The result of an exercise a student handed in no file for: every check 0."""
    message = NOT_SUBMITTED.format(file=f"{exercise.id}.py", number=exercise.number)
    checks = tuple(
        CheckResult(check.id, check.title, 0.0, check.points, False, check.visibility, message)
        for check in exercise.selected_checks(include_hidden)
    )
    return ExerciseResult(exercise.id, exercise.title, "", "error", message, checks)


@dataclass
class StudentResults:
    key: str
    name: str
    folder: str  # their folder under DIR/students/
    late: bool
    results: dict[str, ExerciseResult]  # every exercise of the assignment, in its order
    absent: frozenset[str] = frozenset()  # exercises they handed in no file for

    @property
    def score(self) -> float:
        return sum(result.score for result in self.results.values())

    @property
    def max_score(self) -> float:
        return sum(result.max_score for result in self.results.values())

    def submitted(self) -> Iterator[ExerciseResult]:
        return (result for exercise_id, result in self.results.items() if exercise_id not in self.absent)


@dataclass
class ClassResults:
    source: str  # the SUBMISSIONS the TA named
    exercises: tuple[Exercise, ...]
    students: list[StudentResults]
    include_hidden: bool
    isolation: str = "full"
    isolation_note: str = ""
    notes: list[Note] = field(default_factory=list)
    seconds: float = 0.0  # this run, from start to outputs written
    graded: int = 0  # (submission, exercise) pairs graded in this run
    reused: int = 0  # ... and taken from an earlier run
    jobs: int = 1

    @property
    def max_score(self) -> float:
        return sum(exercise.max_score(self.include_hidden) for exercise in self.exercises)

    def submitted(self, exercise_id: str) -> list[ExerciseResult]:
        """The results of everyone who handed in a file for this exercise."""
        return [s.results[exercise_id] for s in self.students if exercise_id not in s.absent]
