"""The grades as files the course's LMS imports as they are, made from the roster the LMS exported.

- Canvas's gradebook export (Student, ID, [SIS User ID, SIS Login ID, ...], Section, one column per
  assignment named "Name (id)", a "Points Possible" row) gives ``canvas-import.csv``: its identity
  columns as exported, then one column for the assignment, which Canvas's gradebook import reads
  as it is. The column is the export's own when the TA names an assignment it holds (its id then
  tells Canvas which), a new assignment otherwise; its points are the assignment's Points Possible
  (or ``--canvas-points``, or this grading's maximum), each grade scaled to them.
- Moodle's grading worksheet (Identifier "Participant N", Full name, ..., Grade, Maximum Grade, ...,
  Last modified (grade), Feedback comments) gives ``moodle-grading-worksheet.csv``, the same
  worksheet with its Grade column filled (scaled to its Maximum Grade, in its decimal style) and
  its feedback comments in plain text, for "Upload grading worksheet"; and
  ``moodle-feedback-files.zip``, each student's feedback.md in a folder named as Moodle's download
  names their submission ("Full name_N_assignsubmission_file_"), for "Upload multiple feedback
  files in a zip".

Rows the grading cannot tell whose they are stay as the LMS wrote them; any other roster gives no
LMS file.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from graders.bulk.results import ClassResults, Outcome, StudentResults
from graders.bulk.roster import Roster, normal
from graders.i18n import N_, _

CANVAS_IMPORT = "canvas-import.csv"
MOODLE_WORKSHEET = "moodle-grading-worksheet.csv"
MOODLE_FEEDBACK = "moodle-feedback-files.zip"
DEFAULT_ASSIGNMENT = "forwardpass"
POINTS_POSSIBLE = "    Points Possible"  # Canvas's second row, as its export writes it
CANVAS_ASSIGNMENT = re.compile(r"^(?P<title>.*?)\s*\((?P<id>\d+)\)$")  # "Lab 3 (123456)"
MOODLE_UNSAFE = re.compile(r'[\x00-\x1f\x7f\\/:*?"<>|]')  # what Moodle's clean_filename removes from names

OUTCOMES: dict[Outcome, str] = {
    "passed": N_("passed"),
    "failed": N_("failed"),
    "error": N_("could not be graded"),
    "not started": N_("not started"),
    "not submitted": N_("not submitted"),
}

LMS = Literal["canvas", "moodle"]


@dataclass(frozen=True)
class CanvasColumn:
    """What the TA said of the Canvas assignment: its name, and its points if the export has none."""

    assignment: str | None = None
    points: float | None = None


def lms_of(roster: Roster) -> LMS | None:
    """Which LMS exported the roster, by its header; None for any other roster."""
    header = [normal(title) for title in roster.header]
    if header[:2] == ["student", "id"] and "section" in header:
        return "canvas"
    if {"identifier", "grade", "lastmodifiedgrade"} <= set(header):
        return "moodle"
    return None


def number(value: float, decimals: int = 2) -> str:
    """A grade as an LMS reads it: at most ``decimals`` decimals, none when whole."""
    return f"{value:.{decimals}f}".rstrip("0").rstrip(".") if value != int(value) else f"{value:.0f}"


def scaled(student: StudentResults, points: float) -> float:
    return student.score / student.max_score * points if student.max_score else 0.0


def parsed(cell: str) -> float | None:
    try:
        return float(cell.strip().replace(",", "."))
    except ValueError:
        return None


def write_csv(rows: Sequence[Sequence[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def cells(row: Sequence[str], width: int) -> list[str]:
    return [*row[:width], *[""] * (width - len(row))]


def students_by_row(grades: ClassResults, roster: Roster) -> list[tuple[tuple[str, ...], StudentResults | None]]:
    """Each roster row with the student it stands for; None for a row that is nobody graded."""
    by_key = {student.key: student for student in grades.students}
    return [(row, by_key.get(key) if key else None) for row, key in zip(roster.rows, roster.keys, strict=True)]


def canvas_column(roster: Roster, wanted: CanvasColumn, identity: int, maximum: float) -> tuple[str, float]:
    """The assignment's column title and its points: the export's own column when it holds one of
    that name (with or without its id), else a new assignment."""
    name = wanted.assignment or DEFAULT_ASSIGNMENT
    points_row = next((row for row in roster.rows if row and normal(row[0]) == normal(POINTS_POSSIBLE)), ())
    for index, title in enumerate(roster.header[identity:], start=identity):
        found = CANVAS_ASSIGNMENT.match(title)
        if normal(title) == normal(name) or (found and normal(found.group("title")) == normal(name)):
            possible = parsed(points_row[index]) if index < len(points_row) else None
            return title, wanted.points or possible or maximum
    return name, wanted.points or maximum


def canvas_import(grades: ClassResults, roster: Roster, wanted: CanvasColumn) -> str:
    """Canvas's gradebook import: the export's identity columns (up to Section), and the assignment."""
    identity = [normal(title) for title in roster.header].index("section") + 1
    title, points = canvas_column(roster, wanted, identity, grades.max_score)
    rows = [[*roster.header[:identity], title], [POINTS_POSSIBLE, *[""] * (identity - 1), number(points)]]
    written = set()
    for row, student in students_by_row(grades, roster):
        if student is not None and student.key not in written:
            written.add(student.key)
            rows.append([*cells(row, identity), number(scaled(student, points))])
    return write_csv(rows)


def feedback_comment(student: StudentResults, feedback_file: str) -> str:
    """The worksheet's feedback comments: plain text, what the student scored per exercise."""
    parts = [
        _("{exercise}: {score}/{maximum} ({outcome})").format(
            exercise=exercise_id,
            score=number(result.score, 1),
            maximum=number(result.max_score, 1),
            outcome=_(OUTCOMES[student.outcome(exercise_id)]),
        )
        for exercise_id, result in student.results.items()
    ]
    return _("Total {score}/{maximum}. {exercises}. What passed, what failed and why: {file}.").format(
        score=number(student.score, 1),
        maximum=number(student.max_score, 1),
        exercises="; ".join(parts),
        file=feedback_file,
    )


def moodle_worksheet(grades: ClassResults, roster: Roster) -> str:
    """The worksheet as exported, its Grade and Feedback comments columns filled."""
    header = [normal(title) for title in roster.header]
    grade = header.index("grade")
    maximum = header.index("maximumgrade") if "maximumgrade" in header else None
    comments = header.index("feedbackcomments") if "feedbackcomments" in header else None
    rows = [list(roster.header)]
    for row, student in students_by_row(grades, roster):
        row = cells(row, len(roster.header))
        if student is not None:
            most = parsed(row[maximum]) if maximum is not None else None
            value = f"{scaled(student, most) if most else student.score:.2f}"
            row[grade] = value.replace(".", ",") if maximum is not None and "," in row[maximum] else value
            if comments is not None:
                row[comments] = feedback_comment(student, "feedback.md")
        rows.append(row)
    return write_csv(rows)


def moodle_folder(full_name: str, participant: str) -> str:
    """The folder Moodle's download gives a student's submission, which its feedback upload reads:
    the name (no underscore, which separates the fields), the participant number, the plugin."""
    name = " ".join(MOODLE_UNSAFE.sub(" ", full_name.replace("_", " ")).split()) or "Participant"
    return f"{name}_{participant}_assignsubmission_file_"


def moodle_feedback_files(grades: ClassResults, roster: Roster, feedback: Mapping[str, str]) -> dict[str, bytes]:
    """feedback.md per student, in the layout of "Upload multiple feedback files in a zip"."""
    header = [normal(title) for title in roster.header]
    identifier = header.index("identifier")
    name = header.index("fullname") if "fullname" in header else None
    files = {}
    for row, student in students_by_row(grades, roster):
        participant = re.search(r"(\d+)\s*$", row[identifier] if identifier < len(row) else "")
        if student is not None and participant:
            full_name = row[name] if name is not None and name < len(row) else ""
            folder = moodle_folder(full_name, participant.group(1))
            files[f"{folder}/feedback.md"] = feedback[student.key].encode("utf-8")
    return files
