"""Which ideas of the lecture the class got: its mastery per concept (``graders/concepts.py``).

A student has mastered a concept when every check of that concept that ran on their work passed;
the mastery is the share of them among the students any of those checks ran on (those who attempted
the exercises that test it, and could be graded). Behind each concept, its mistakes: the checks of
that concept the class failed, the most students first.
"""

from __future__ import annotations

from dataclasses import dataclass

from graders.bulk import stats
from graders.bulk.results import ClassResults
from graders.concepts import CONCEPTS, Concept


@dataclass(frozen=True)
class ConceptMastery:
    concept: Concept
    checks: int  # the assignment's checks of this concept
    tried: int  # students any of them ran on
    mastered: int  # ... who passed every one that ran
    mistakes: tuple[stats.Mistake, ...]  # the most common first

    @property
    def rate(self) -> float:
        return self.mastered / self.tried if self.tried else 0.0


def mastery(grades: ClassResults) -> list[ConceptMastery]:
    """Each concept the assignment tests, in the lecture's order."""
    checks = [(e.id, check) for e in grades.exercises for check in e.selected_checks(grades.include_hidden)]
    all_mistakes = stats.mistakes(grades)
    found = []
    for concept in CONCEPTS:
        tested = {(exercise_id, check.id) for exercise_id, check in checks if check.concept == concept.id}
        if not tested:
            continue
        tried = mastered = 0
        for student in grades.members:
            ran = [
                check.passed
                for exercise_id, result in student.results.items()
                if student.outcome(exercise_id) in ("passed", "failed")
                for check in result.checks
                if (exercise_id, check.id) in tested
            ]
            tried += bool(ran)
            mastered += bool(ran) and all(ran)
        behind = tuple(m for m in all_mistakes if m.check.concept == concept.id)
        found.append(ConceptMastery(concept, len(tested), tried, mastered, behind))
    return found
