"""Results of grading, and their JSON form (the contract other tools read; keep it exact)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from graders.spec import Visibility

Status = Literal["passed", "failed", "error"]
# Why an exercise could not be graded, for reports that count them (the sentence is in ``error``).
Failure = Literal["timeout", "cpu", "memory", "crash", "exit", "tampering", "import", "missing", "exception", "engine"]


@dataclass(frozen=True)
class CheckResult:
    id: str
    title: str
    points: float
    max_points: float
    passed: bool
    visibility: Visibility
    message: str
    unfinished: bool = False  # failed only because it reached a stub's code, not written yet (not in the JSON)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "points": self.points,
            "max_points": self.max_points,
            "passed": self.passed,
            "visibility": self.visibility,
            "message": self.message,
        }


@dataclass(frozen=True)
class ExerciseResult:
    id: str
    title: str
    file: str
    status: Status
    error: str | None
    checks: tuple[CheckResult, ...]
    failure: Failure | None = None  # set when status is "error"
    # For the TA, never judged: what the student's code printed and what it cost.
    stdout: str = ""
    stderr: str = ""
    seconds: float = 0.0

    @property
    def score(self) -> float:
        return sum(check.points for check in self.checks)

    @property
    def max_score(self) -> float:
        return sum(check.max_points for check in self.checks)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "file": self.file,
            "score": self.score,
            "max_score": self.max_score,
            "status": self.status,
            "error": self.error,
            "checks": [check.to_json() for check in self.checks],
        }

    def to_record(self) -> dict[str, Any]:
        """Every field, for the process that grades to hand a result to the one that shows it (the
        warm engine service to a command): unlike ``to_json``, no contract, and nothing left out."""
        return asdict(self)

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> ExerciseResult:
        return cls(**{**record, "checks": tuple(CheckResult(**check) for check in record["checks"])})


@dataclass(frozen=True)
class RunResult:
    exercises: tuple[ExerciseResult, ...]
    isolation: Literal["full", "reduced"]
    isolation_note: str = ""
    notes: tuple[str, ...] = field(default=())  # files skipped and why

    @property
    def score(self) -> float:
        return sum(exercise.score for exercise in self.exercises)

    @property
    def max_score(self) -> float:
        return sum(exercise.max_score for exercise in self.exercises)

    @property
    def passed(self) -> bool:
        return all(exercise.status == "passed" for exercise in self.exercises)

    def to_json(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "max_score": self.max_score,
            "isolation": self.isolation,
            "exercises": [exercise.to_json() for exercise in self.exercises],
        }
