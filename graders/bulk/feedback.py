"""``feedback.md``: one student's results in words — what passed, what failed and why, and hints.

Everything in it may be handed to the student: hidden checks show only their title and outcome,
nothing the submission printed appears (``graders.reporters.student``), and hints only as the
course's hint policy allows (``graders.policy``). It starts with which file was graded as which
exercise, and which files were not and why (``graders.matching``). It is Markdown that
reads as plain text too (``graders.bulk.markdown``): titles, hints, messages, errors and names are
escaped only where Markdown would read them otherwise, so pasted into an LMS comment or read raw it
looks as written, and rendered it shows text from submissions as the characters it is, never as
Markdown or HTML; file names and code in backticks are code.
"""

from __future__ import annotations

from graders.bulk.markdown import code, escape
from graders.bulk.results import Outcome, StudentResults
from graders.course import HintPolicy
from graders.i18n import N_, _
from graders.matching import Matching, sentences
from graders.policy import hints_for, shown
from graders.reporters.gradescope import late_sentence
from graders.reporters.student import check_message
from graders.results import ExerciseResult
from graders.spec import Exercise

# What became of each exercise, in the table at the top (``StudentResults.outcome``).
OUTCOMES: dict[Outcome, str] = {
    "passed": N_("passed"),
    "failed": N_("failed"),
    "error": N_("error"),
    "not started": N_("not started"),
    "not submitted": N_("not submitted"),
}


def points(value: float) -> str:
    return f"{value:g}"


def strong(text: str) -> str:
    return f"**{escape(text)}**"


def hints(exercise: Exercise, result: ExerciseResult, policy: HintPolicy = "all") -> list[str]:
    """The hint for the first check that failed, as the course's hint policy allows (``graders.policy``)."""
    return [_(hint.text) for hint in hints_for(exercise, result, policy)]


def files_section(matching: Matching) -> list[str]:
    """Which of the student's files was graded as which exercise, and which were not and why."""
    lines = sentences(matching)
    if not lines:
        return []
    return [strong(_("Your files")), "", *(f"- {escape(line)}" for line in lines), ""]


def exercise_section(exercise: Exercise, result: ExerciseResult, absent: bool, policy: HintPolicy = "all") -> list[str]:
    title = escape(_(exercise.title))
    lines = [f"## {exercise.id} · {title} — {points(result.score)}/{points(result.max_score)}"]
    lines.append("")
    if absent:
        lines += [escape(result.error or ""), ""]
        return lines
    lines += [escape(_("Your file: {file}")).format(file=code(result.file)), ""]
    if result.error:
        lines += [strong(_("Could not be graded:")) + " " + escape(result.error), ""]
    hidden_mark = " *" + escape(_("(hidden)")) + "*"
    for check in result.checks:
        mark = "✓" if check.passed else "✗"
        hidden = hidden_mark if check.visibility == "hidden" else ""
        lines.append(f"- {mark} {points(check.points)}/{points(check.max_points)} {escape(check.title)}{hidden}")
        if not check.passed and not result.error:
            lines.append(f"  {escape(check_message(result, check))}".replace("  \n", "  \n  "))
    lines.append("")
    found = hints(exercise, result, policy)
    if found:
        lines += [strong(_("Hints")), "", *(f"- {escape(text)}" for text in found), ""]
    return lines


def feedback_markdown(student: StudentResults, exercises: tuple[Exercise, ...], policy: HintPolicy = "all") -> str:
    """The whole feedback; ``policy`` is the course's hint policy."""
    total = f"{points(student.score)}/{points(student.max_score)}"
    heading = "# " + escape(_("Feedback for {name}").format(name=student.name))
    lines = [heading, "", strong(_("Total: {score}").format(score=total))]
    if student.late:
        lines[-1] += " · " + late_sentence(student.late_penalty)
    header = " | ".join(escape(_(word)) for word in (N_("Exercise"), N_("Score"), N_("Result")))
    lines += ["", f"| {header} |", "| --- | --- | --- |"]
    for exercise in exercises:
        result = student.results[exercise.id]
        outcome = escape(_(OUTCOMES[student.outcome(exercise.id)]))
        lines.append(f"| {exercise.id} | {points(result.score)}/{points(result.max_score)} | {outcome} |")
    lines.append("")
    lines += files_section(student.matching)
    shown_results = dict(zip(student.results, shown(list(student.results.values()), policy), strict=True))
    for exercise in exercises:
        lines += exercise_section(exercise, shown_results[exercise.id], exercise.id in student.absent, policy)
    return "\n".join(lines).rstrip() + "\n"
