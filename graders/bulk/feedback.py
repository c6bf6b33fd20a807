"""``feedback.md``: one student's results in words — what passed, what failed and why, and hints.

Everything in it may be handed to the student: hidden checks show only their title and outcome,
and nothing the submission printed appears (``graders.reporters.student``). It is Markdown that
reads as plain text too (``graders.bulk.markdown``): titles, hints, messages, errors and names are
escaped only where Markdown would read them otherwise, so pasted into an LMS comment or read raw it
looks as written, and rendered it shows text from submissions as the characters it is, never as
Markdown or HTML; file names and code in backticks are code.
"""

from __future__ import annotations

from graders.bulk.markdown import code, escape
from graders.bulk.results import StudentResults
from graders.reporters.student import check_message
from graders.results import ExerciseResult
from graders.spec import Exercise


def points(value: float) -> str:
    return f"{value:g}"


def hints(exercise: Exercise, result: ExerciseResult) -> list[str]:
    """The hint for the first check that failed (``Exercise.hint_order``), if the exercise has hints."""
    if result.status == "passed":
        return []
    order = exercise.hint_order(exercise.failing({check.id: check.passed for check in result.checks}))
    return [exercise.hints[order[0]].text] if order else []


def exercise_section(exercise: Exercise, result: ExerciseResult, absent: bool) -> list[str]:
    lines = [f"## {exercise.id} · {escape(exercise.title)} — {points(result.score)}/{points(result.max_score)}"]
    lines.append("")
    if absent:
        lines += [escape(result.error or ""), ""]
        return lines
    lines += [f"Your file: {code(result.file)}", ""]
    if result.error:
        lines += [f"**Could not be graded:** {escape(result.error)}", ""]
    for check in result.checks:
        mark = "✓" if check.passed else "✗"
        hidden = " *(hidden)*" if check.visibility == "hidden" else ""
        lines.append(f"- {mark} {points(check.points)}/{points(check.max_points)} {escape(check.title)}{hidden}")
        if not check.passed and not result.error:
            lines.append(f"  {escape(check_message(result, check))}".replace("  \n", "  \n  "))
    lines.append("")
    found = hints(exercise, result)
    if found:
        lines += ["**Hints**", "", *(f"- {escape(text)}" for text in found), ""]
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
