"""How the class did, in numbers: what the report and the terminal summary show."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass

from graders.bulk.results import ClassResults
from graders.spec import Exercise


@dataclass(frozen=True)
class ExerciseStats:
    exercise: Exercise
    submitted: int
    passed: int  # every check passed
    errors: int  # could not be graded
    mean: float  # mean score of everyone in the class, 0 for no file
    max_score: float


@dataclass(frozen=True)
class CheckStats:
    exercise_id: str
    title: str
    hidden: bool
    passed: int
    graded: int  # submissions that could be graded, so that this check ran

    @property
    def rate(self) -> float:
        return self.passed / self.graded if self.graded else 0.0


@dataclass(frozen=True)
class Failure:
    exercise_id: str
    message: str
    students: int  # how many got it
    checks: tuple[str, ...]  # the titles of the checks that said it


@dataclass(frozen=True)
class Errored:
    student: str
    exercise_id: str
    kind: str
    error: str


def exercise_stats(grades: ClassResults) -> list[ExerciseStats]:
    found = []
    for exercise in grades.exercises:
        results = grades.submitted(exercise.id)
        everyone = [s.results[exercise.id].score for s in grades.students]
        found.append(
            ExerciseStats(
                exercise,
                submitted=len(results),
                passed=sum(r.status == "passed" for r in results),
                errors=sum(r.status == "error" for r in results),
                mean=statistics.fmean(everyone) if everyone else 0.0,
                max_score=exercise.max_score(grades.include_hidden),
            )
        )
    return found


def check_stats(grades: ClassResults) -> list[CheckStats]:
    """Every check's pass rate among the submissions it ran on, the hardest first."""
    found = []
    for exercise in grades.exercises:
        graded = [r for r in grades.submitted(exercise.id) if r.status != "error"]
        outcomes = [{c.id: c.passed for c in r.checks} for r in graded]
        for check in exercise.selected_checks(grades.include_hidden):
            passed = sum(outcome.get(check.id, False) for outcome in outcomes)
            found.append(CheckStats(exercise.id, check.title, check.visibility == "hidden", passed, len(graded)))
    return sorted(found, key=lambda c: (c.rate if c.graded else 2.0, c.exercise_id, c.title))


def common_failures(grades: ClassResults, limit: int = 15) -> list[Failure]:
    """The failure messages most students got, over submissions that could be graded; a message
    several checks gave one student counts once, with every check that gave it."""
    students: Counter[tuple[str, str]] = Counter()
    checks: dict[tuple[str, str], set[str]] = {}
    for exercise in grades.exercises:
        for result in grades.submitted(exercise.id):
            if result.status == "error":
                continue
            failed = [c for c in result.checks if not c.passed]
            students.update({(exercise.id, c.message) for c in failed})
            for check in failed:
                checks.setdefault((exercise.id, check.message), set()).add(check.title)
    ranked = sorted(students.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [Failure(*key, count, tuple(sorted(checks[key]))) for key, count in ranked]


def errored(grades: ClassResults) -> list[Errored]:
    """Submissions that could not be graded (timeouts, crashes, syntax errors...), by exercise."""
    found = [
        Errored(student.name, exercise.id, result.failure or "error", result.error or "")
        for exercise in grades.exercises
        for student in grades.students
        for result in [student.results[exercise.id]]
        if exercise.id not in student.absent and result.status == "error"
    ]
    return found


def percentages(grades: ClassResults) -> list[float]:
    maximum = grades.max_score
    return [100 * s.score / maximum if maximum else 0.0 for s in grades.students]


def histogram(grades: ClassResults, bins: int = 10) -> list[int]:
    """How many students scored 0-10 %, 10-20 %, ..., 90-100 % (100 % in the last bin)."""
    counts = [0] * bins
    for percent in percentages(grades):
        counts[min(bins - 1, int(percent * bins / 100))] += 1
    return counts
