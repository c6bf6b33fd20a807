"""``gradebook.csv``: one row per student, for the LMS's grade import or a spreadsheet.

Byte-identical for the same submissions whatever the parallelism: rows in a fixed order, numbers
in one format, nothing about time. Cells a spreadsheet would run as formulas are defused.
"""

from __future__ import annotations

import csv
import io

from graders.bulk.results import ClassResults, StudentResults
from graders.text import clean

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def number(value: float) -> str:
    return f"{value:g}"


def cell(text: str) -> str:
    """Text safe in a spreadsheet: no control characters, and never read as a formula."""
    text = clean(text, 1000).replace("\n", " ")
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def errors(student: StudentResults) -> str:
    """Why exercises scored nothing: ``ex03: timeout; ex05: not started; ex07: not submitted``."""
    if student.results and len(student.absent) == len(student.results):
        return "no submission"
    found = []
    for exercise_id, result in student.results.items():
        number_ = exercise_id.split("_", 1)[0]
        outcome = student.outcome(exercise_id)
        if outcome in ("not submitted", "not started"):
            found.append(f"{number_}: {outcome}")
        elif outcome == "error":
            found.append(f"{number_}: {result.failure or 'error'}")
    return "; ".join(found)


def gradebook_csv(grades: ClassResults) -> str:
    rows = [["student", "name", *(e.id for e in grades.exercises), "total", "max", "late", "errors"]]
    for student in grades.students:
        rows.append(
            [
                student.key,
                student.name,
                *(number(student.results[e.id].score) for e in grades.exercises),
                number(student.score),
                number(grades.max_score),
                "yes" if student.late else "no",
                errors(student),
            ]
        )
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([cell(text) for text in row] for row in rows)
    return out.getvalue()
