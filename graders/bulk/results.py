"""The graded class: what every output (gradebook, feedback, results.json, report, summary) is built from."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from graders.bulk.inputs import Note
from graders.bulk.similarity import Group
from graders.course import SELF_LEARNER, Course, counted, scaled
from graders.i18n import N_, _
from graders.learner.progress import progress_of
from graders.matching import Matching
from graders.results import CheckResult, ExerciseResult
from graders.spec import Exercise

# What a student's work on an exercise was. "not started" is an untouched stub (the self-learner's
# rule, ``progress_of``): no attempt, so neither a failure nor a submission that could not be graded.
Outcome = Literal["passed", "failed", "error", "not started", "not submitted"]

NOT_SUBMITTED = N_(
    "No file for this exercise was found in your submission (name it {file}, or start its name with {number}_)."
)


def not_submitted(exercise: Exercise, include_hidden: bool) -> ExerciseResult:
    """The result of an exercise a student handed in no file for: every check 0."""
    message = _(NOT_SUBMITTED).format(file=f"{exercise.id}.py", number=exercise.number)
    checks = tuple(
        CheckResult(check.id, _(check.title), 0.0, check.points, False, check.visibility, message)
        for check in exercise.selected_checks(include_hidden)
    )
    return ExerciseResult(exercise.id, _(exercise.title), "", "error", message, checks)


@dataclass
class StudentResults:
    key: str
    name: str
    folder: str  # their folder under DIR/students/
    late: bool
    results: dict[str, ExerciseResult]  # every exercise of the assignment, in its order
    absent: frozenset[str] = frozenset()  # exercises they handed in no file for
    test: bool = False  # a test user of the LMS: graded, counted in no statistic
    matching: Matching = field(default_factory=Matching)  # which of their files is which exercise
    late_penalty: float = 0.0  # the share of a late submission's score the course takes off

    @property
    def earned(self) -> float:
        """The points of their exercises, before any late penalty."""
        return sum(result.score for result in self.results.values())

    @property
    def score(self) -> float:
        """What they get: the points earned, less the course's late penalty if they were late."""
        return counted(self.earned, self.late_penalty, self.late)

    @property
    def max_score(self) -> float:
        return sum(result.max_score for result in self.results.values())

    def submitted(self) -> Iterator[ExerciseResult]:
        return (result for exercise_id, result in self.results.items() if exercise_id not in self.absent)

    def outcome(self, exercise_id: str) -> Outcome:
        if exercise_id in self.absent:
            return "not submitted"
        result = self.results[exercise_id]
        return "not started" if progress_of(result) == "not started" else result.status


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
    similar: list[Group] | None = None  # groups of alike submissions; None: not looked for
    similarity_threshold: float = 0.0
    lms_files: tuple[str, ...] = ()  # the files written for the LMS to import
    course: Course = SELF_LEARNER  # the points each exercise is worth

    @property
    def max_score(self) -> float:
        return sum(self.full_marks(exercise) for exercise in self.exercises)

    def full_marks(self, exercise: Exercise) -> float:
        """An exercise's full marks in the course: its checks' points (the hidden ones too, if graded),
        scaled to the course's points for it."""
        return scaled(exercise.max_score(self.include_hidden), self.course.scale(exercise.id))

    @property
    def members(self) -> list[StudentResults]:
        """The students every statistic counts: everyone but the LMS's test users."""
        return [student for student in self.students if not student.test]

    def attempted(self, exercise_id: str) -> list[ExerciseResult]:
        """The results of the members who worked on this exercise and could be graded: what a
        check's pass rate is over."""
        return [s.results[exercise_id] for s in self.members if s.outcome(exercise_id) in ("passed", "failed")]
