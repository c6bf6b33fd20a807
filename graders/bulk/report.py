"""``report.html``: how the class did, on one static page that opens offline (no scripts, no links out).

For course staff: it shows hidden checks' messages, which student-facing files never do. Every
piece of text is HTML-escaped; text from submissions is cleaned first.
"""

from __future__ import annotations

import statistics
from html import escape

from graders.bulk import stats
from graders.bulk.results import ClassResults
from graders.text import clean

STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 70rem; padding: 0 1rem; color: #1d232a; }
h1 { margin-bottom: 0; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #d5dbe1; padding-bottom: .2rem; }
.sub { color: #5b6670; margin-top: .2rem; }
.cards { display: flex; gap: 1rem; flex-wrap: wrap; margin: 1.2rem 0; }
.card { border: 1px solid #d5dbe1; border-radius: 6px; padding: .5rem 1rem; min-width: 8rem; }
.card b { display: block; font-size: 1.5rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #eceff2; vertical-align: top; }
th { background: #f5f7f9; } td.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.bar { background: #eceff2; width: 9rem; height: .8rem; border-radius: 3px; display: inline-block; }
.bar span { display: block; height: 100%; border-radius: 3px; background: #3c8c5a; }
.low span { background: #c0533b; } .mid span { background: #d49a2a; }
.tag { font-size: .75rem; color: #6b4fa0; border: 1px solid #b9a7db; border-radius: 3px; padding: 0 .25rem; }
.msg { white-space: pre-wrap; font-size: .9rem; }
svg text { font: 12px system-ui, sans-serif; fill: #1d232a; }
details summary { cursor: pointer; color: #2a5d8c; }
"""


def text(value: object) -> str:
    return escape(clean(str(value)))


def points(value: float) -> str:
    return f"{value:.3g}" if value != int(value) else f"{value:g}"


def bar(rate: float) -> str:
    level = "low" if rate < 0.5 else "mid" if rate < 0.8 else ""
    return f'<span class="bar {level}"><span style="width:{100 * rate:.0f}%"></span></span> {100 * rate:.0f}%'


def table(header: list[str], rows: list[list[str]], numeric: set[int] = frozenset(), shown: int = 25) -> str:
    """A table of its first ``shown`` rows; the rest folded away behind their count."""

    def body(part: list[list[str]]) -> str:
        return "".join(
            "<tr>"
            + "".join(f'<td class="n">{c}</td>' if i in numeric else f"<td>{c}</td>" for i, c in enumerate(row))
            + "</tr>"
            for row in part
        )

    head = "<thead><tr>" + "".join(f"<th>{h}</th>" for h in header) + "</tr></thead>"
    html = f"<table>{head}<tbody>{body(rows[:shown])}</tbody></table>" if rows[:shown] else ""
    if rows[shown:]:
        more = f"{len(rows) - shown} more" if shown else f"{len(rows)} rows"
        html += f"<details><summary>{more}</summary><table>{head}<tbody>{body(rows[shown:])}</tbody></table></details>"
    return html


def histogram_svg(counts: list[int]) -> str:
    width, height, gap = 560, 180, 6
    step = width / len(counts)
    top = max(counts) or 1
    bars = []
    for i, count in enumerate(counts):
        h = (height - 40) * count / top
        x, y = i * step + gap / 2, height - 20 - h
        bars.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{step - gap:.1f}" height="{h:.1f}" fill="#3c6e9c"/>'
            f'<text x="{x + (step - gap) / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle">{count}</text>'
            f'<text x="{x + (step - gap) / 2:.1f}" y="{height - 5}" text-anchor="middle">'
            f"{100 * i // len(counts)}–{100 * (i + 1) // len(counts)}%</text>"
        )
    return (
        f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Students per total score">{"".join(bars)}</svg>'
    )


def overview(grades: ClassResults) -> str:
    percents = stats.percentages(grades)
    everything = sum(s.score == s.max_score and s.max_score > 0 for s in grades.students)
    failed = sum(1 for _ in stats.errored(grades))
    cards = [
        ("students", str(len(grades.students))),
        ("exercises", str(len(grades.exercises))),
        ("mean score", f"{statistics.fmean(percents):.0f}%" if percents else "–"),
        ("median score", f"{statistics.median(percents):.0f}%" if percents else "–"),
        ("full marks", str(everything)),
        ("could not be graded", str(failed)),
    ]
    return '<div class="cards">' + "".join(f"<div class=card><b>{v}</b>{k}</div>" for k, v in cards) + "</div>"


def exercises_section(grades: ClassResults) -> str:
    rows = []
    count = len(grades.students)
    for s in stats.exercise_stats(grades):
        rows.append(
            [
                text(s.exercise.id),
                text(s.exercise.title),
                f"{s.submitted}/{count}",
                bar(s.passed / s.submitted if s.submitted else 0.0),
                f"{points(s.mean)}/{points(s.max_score)}",
                str(s.errors),
            ]
        )
    header = ["exercise", "title", "submitted", "passed every check", "mean score", "could not be graded"]
    return table(header, rows, numeric={2, 4, 5})


def checks_section(grades: ClassResults) -> str:
    rows = [
        [
            text(c.exercise_id),
            text(c.title) + (' <span class="tag">hidden</span>' if c.hidden else ""),
            bar(c.rate),
            f"{c.passed}/{c.graded}",
        ]
        for c in stats.check_stats(grades)
    ]
    return table(["exercise", "check", "pass rate", "passed"], rows, numeric={3}, shown=15)


def failures_section(grades: ClassResults) -> str:
    rows = [
        [
            str(f.students),
            text(f.exercise_id),
            f'<div class="msg">{text(f.message)}</div>',
            "<br>".join(text(title) for title in f.checks),
        ]
        for f in stats.common_failures(grades)
    ]
    if not rows:
        return "<p>No check failed.</p>"
    return table(["students", "exercise", "message", "from the checks"], rows, numeric={0})


def errors_section(grades: ClassResults) -> str:
    found = stats.errored(grades)
    if not found:
        return "<p>Every submission could be graded.</p>"
    rows = [
        [text(e.student), text(e.exercise_id), text(e.kind), f'<div class="msg">{text(e.error)}</div>'] for e in found
    ]
    return table(["student", "exercise", "why", "what the student reads"], rows)


def notes_section(grades: ClassResults) -> str:
    if not grades.notes:
        return "<p>Every file found was used.</p>"
    rows = [[text(note.kind), f'<div class="msg">{text(note.text)}</div>'] for note in grades.notes]
    return table(["kind", "note"], rows)


def students_section(grades: ClassResults) -> str:
    rows = [
        [
            text(s.key),
            text(s.name),
            f"{points(s.score)}/{points(s.max_score)}",
            "late" if s.late else "",
            f'<a href="students/{escape(s.folder)}/feedback.md">feedback</a>',
        ]
        for s in grades.students
    ]
    return table(["student", "name", "total", "", ""], rows, numeric={2}, shown=0)


def run_section(grades: ClassResults) -> str:
    done = grades.graded + grades.reused
    per_job = grades.seconds / grades.graded if grades.graded else 0.0
    isolation = "full" if grades.isolation == "full" else f"reduced ({text(grades.isolation_note)})"
    return (
        f"<p>This run took {grades.seconds:.1f} s with {grades.jobs} parallel jobs: {grades.graded} of {done} "
        f"(submission, exercise) pairs graded now ({per_job * 1000:.0f} ms each in wall time), {grades.reused} "
        f"reused from an earlier run. Hidden checks: {'included' if grades.include_hidden else 'left out'}. "
        f"Isolation: {isolation}.</p>"
    )


def report_html(grades: ClassResults) -> str:
    sections = [
        ("Scores", histogram_svg(stats.histogram(grades))),
        ("Exercises", exercises_section(grades)),
        ("Checks, the hardest first", checks_section(grades)),
        ("Most common failure messages", failures_section(grades)),
        ("Submissions that could not be graded", errors_section(grades)),
        ("Files that were not graded", notes_section(grades)),
        ("Students", students_section(grades)),
        ("Run", run_section(grades)),
    ]
    body = "".join(f"<h2>{title}</h2>{html}" for title, html in sections)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>forwardpass · {text(grades.source)}</title><style>{STYLE}</style></head><body>"
        f"<h1>How the class did</h1><p class=sub>{text(grades.source)} · for course staff: this page shows "
        "hidden checks' messages; hand students their feedback.md instead.</p>"
        f"{overview(grades)}{body}</body></html>\n"
    )
