"""``feedback.md``: one student's results in words — what passed, what failed and why, and hints.

Everything in it may be handed to the student: hidden checks show only their title and outcome,
and nothing the submission printed appears (``graders.reporters.student``). Titles and hints are
the course's own Markdown; messages, errors and names, which carry text from submissions, are
escaped, so they render as the characters they are, never as Markdown or HTML.
"""

from __future__ import annotations

import re

from graders.bulk.results import StudentResults
from graders.reporters.student import check_message
from graders.results import ExerciseResult
from graders.spec import Exercise
from graders.text import clean

INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&!])")
LINE_START = re.compile(r"^(\d*)([#+\-=>.)])")  # would start a heading, a list or a quote


def escape(text: str) -> str:
    """Literal text in Markdown: special characters escaped, lines kept as lines."""
    lines = clean(text).splitlines() or [""]
    return "  \n".join(LINE_START.sub(r"\1\\\2", INLINE_SPECIAL.sub(r"\\\1", line.strip())) for line in lines)


def points(value: float) -> str:
    return f"{value:g}"


def hints(exercise: Exercise, result: ExerciseResult) -> list[str]:
    """The hint for the first check that failed (``Exercise.hint_order``), if the exercise has hints."""
    if result.status == "passed":
        return []
    order = exercise.hint_order(exercise.failing({check.id: check.passed for check in result.checks}))
    return [exercise.hints[order[0]].text] if order else []


def exercise_section(exercise: Exercise, result: ExerciseResult, absent: bool) -> list[str]:
    lines = [f"## {exercise.id} · {exercise.title} — {points(result.score)}/{points(result.max_score)}"]
    lines.append("")
    if absent:
        lines += [escape(result.error or ""), ""]
        return lines
    lines += [f"Your file: {escape(result.file)}", ""]
    if result.error:
        lines += [f"**Could not be graded:** {escape(result.error)}", ""]
    for check in result.checks:
        mark = "✓" if check.passed else "✗"
        hidden = " *(hidden)*" if check.visibility == "hidden" else ""
        lines.append(f"- {mark} {points(check.points)}/{points(check.max_points)} {check.title}{hidden}")
        if not check.passed and not result.error:
            lines.append(f"  {escape(check_message(result, check))}".replace("  \n", "  \n  "))
    lines.append("")
    found = hints(exercise, result)
    if found:
        lines += ["**Hints**", "", *(f"- {text}" for text in found), ""]
    return lines


def feedback_markdown(student: StudentResults, exercises: tuple[Exercise, ...]) -> str:
    total = f"{points(student.score)}/{points(student.max_score)}"
    lines = [f"# Feedback for {escape(student.name)}", "", f"**Total: {total}**"]
    if student.late:
        lines[-1] += " · submitted late"
    lines += ["", "| Exercise | Score | Result |", "| --- | --- | --- |"]
    for exercise in exercises:
        result = student.results[exercise.id]
        outcome = student.outcome(exercise.id)
        lines.append(f"| {exercise.id} | {points(result.score)}/{points(result.max_score)} | {outcome} |")
    lines.append("")
    for exercise in exercises:
        lines += exercise_section(exercise, student.results[exercise.id], exercise.id in student.absent)
    return "\n".join(lines).rstrip() + "\n"
