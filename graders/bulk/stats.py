"""How the class did, in numbers: what the report and the terminal summary show.

Every number counts the class's members (an LMS's test users are graded but counted nowhere), and
tells apart what each submission was: passed, failed, could not be graded, or not started (an
untouched stub, which is no attempt, so neither a failure nor an error). A check's pass rate is over
the submissions it ran on: those attempted that could be graded.

A ranking by pass rate alone puts a check that two of three students failed above a mistake a
tenth of the class made; so checks are ranked by a lower confidence bound of their failure rate
(Wilson's score interval: how often at least it fails, given how many tried), and those fewer than
``MIN_TRIED`` students tried come last.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from dataclasses import dataclass

from graders.bulk.results import ClassResults
from graders.spec import Check, Exercise

MIN_TRIED = 5  # a check tried by fewer is listed, but not ranked among the hardest
CONFIDENCE_Z = 1.96  # the normal quantile of a 95 % confidence interval


@dataclass(frozen=True)
class ExerciseStats:
    exercise: Exercise
    submitted: int
    not_started: int  # handed in the untouched stub
    passed: int  # every check passed
    errors: int  # attempted, but could not be graded
    mean: float  # mean score of every member, 0 for no file
    max_score: float

    @property
    def attempted(self) -> int:
        return self.submitted - self.not_started


@dataclass(frozen=True)
class CheckStats:
    exercise_id: str
    check: Check
    passed: int
    tried: int  # the submissions it ran on

    @property
    def failed(self) -> int:
        return self.tried - self.passed

    @property
    def rate(self) -> float:
        return self.passed / self.tried if self.tried else 0.0

    @property
    def ranked(self) -> bool:
        return self.tried >= MIN_TRIED

    @property
    def difficulty(self) -> float:
        """How often at least the check fails: the lower bound of its failure rate's interval."""
        return lower_bound(self.failed, self.tried)


@dataclass(frozen=True)
class Mistake:
    """A check some students failed, and what it told most of them."""

    exercise_id: str
    check: Check
    students: int  # how many failed it
    tried: int
    message: str  # the message most of them got
    same_message: int  # how many got exactly that message


@dataclass(frozen=True)
class Errored:
    student: str
    exercise_id: str
    kind: str
    error: str


def lower_bound(successes: int, trials: int, z: float = CONFIDENCE_Z) -> float:
    """The lower end of Wilson's score interval for the rate ``successes / trials``."""
    if not trials:
        return 0.0
    rate = successes / trials
    spread = z * z / trials
    centre = rate + spread / 2
    margin = z * math.sqrt(rate * (1 - rate) / trials + spread / (4 * trials))
    return max(0.0, (centre - margin) / (1 + spread))


def exercise_stats(grades: ClassResults) -> list[ExerciseStats]:
    found = []
    for exercise in grades.exercises:
        outcomes = Counter(student.outcome(exercise.id) for student in grades.members)
        everyone = [s.results[exercise.id].score for s in grades.members]
        found.append(
            ExerciseStats(
                exercise,
                submitted=len(grades.members) - outcomes["not submitted"],
                not_started=outcomes["not started"],
                passed=outcomes["passed"],
                errors=outcomes["error"],
                mean=statistics.fmean(everyone) if everyone else 0.0,
                max_score=grades.full_marks(exercise),
            )
        )
    return found


def check_stats(grades: ClassResults) -> list[CheckStats]:
    """Every check's passes among the submissions it ran on, the hardest first."""
    found = []
    for exercise in grades.exercises:
        outcomes = [{c.id: c.passed for c in result.checks} for result in grades.attempted(exercise.id)]
        for check in exercise.selected_checks(grades.include_hidden):
            passed = sum(outcome.get(check.id, False) for outcome in outcomes)
            found.append(CheckStats(exercise.id, check, passed, len(outcomes)))
    return sorted(found, key=lambda c: (not c.ranked, -c.difficulty, -c.failed, c.exercise_id, c.check.title))


def mistakes(grades: ClassResults) -> list[Mistake]:
    """Every check someone failed, grouped by check (whatever values its messages name), the
    most students first."""
    found = []
    for exercise in grades.exercises:
        results = grades.attempted(exercise.id)
        for check in exercise.selected_checks(grades.include_hidden):
            messages = Counter(c.message for r in results for c in r.checks if c.id == check.id and not c.passed)
            if messages:
                message, count = min(messages.items(), key=lambda item: (-item[1], item[0]))
                found.append(Mistake(exercise.id, check, messages.total(), len(results), message, count))
    return sorted(found, key=lambda m: (-m.students, m.exercise_id, m.check.title))


def errored(grades: ClassResults) -> list[Errored]:
    """Submissions attempted that could not be graded (timeouts, crashes, syntax errors...), by exercise."""
    return [
        Errored(student.name, exercise.id, result.failure or "error", result.error or "")
        for exercise in grades.exercises
        for student in grades.members
        for result in [student.results[exercise.id]]
        if student.outcome(exercise.id) == "error"
    ]


def percentages(grades: ClassResults) -> list[float]:
    maximum = grades.max_score
    return [100 * s.score / maximum if maximum else 0.0 for s in grades.members]


def histogram(grades: ClassResults, bins: int = 10) -> list[int]:
    """How many members scored 0-10 %, 10-20 %, ..., 90-100 % (100 % in the last bin)."""
    counts = [0] * bins
    for percent in percentages(grades):
        counts[min(bins - 1, int(percent * bins / 100))] += 1
    return counts
