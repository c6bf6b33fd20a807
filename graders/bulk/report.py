"""``report.html``: how the class did, on one static page that opens offline (no scripts, no links out).

For course staff: it shows hidden checks' messages and which submissions are alike, which
student-facing files never do. It opens with the ideas of the lecture the class did and did not
get, then scores, exercises and checks. Every piece of text is HTML-escaped; text from submissions
is cleaned first. Numbers have one format: points to one decimal, rates as whole percentages.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from html import escape

from graders.bulk import stats
from graders.bulk.mastery import ConceptMastery, mastery
from graders.bulk.results import ClassResults
from graders.bulk.similarity import Group, Pair
from graders.concepts import BY_ID
from graders.text import clean

STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 70rem; padding: 0 1rem; color: #1d232a; }
h1 { margin-bottom: 0; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #d5dbe1; padding-bottom: .2rem; }
h3 { margin: 1.4rem 0 .3rem; font-size: 1.05rem; }
.sub { color: #5b6670; margin-top: .2rem; }
.cards { display: flex; gap: 1rem; flex-wrap: wrap; margin: 1.2rem 0; }
.card { border: 1px solid #d5dbe1; border-radius: 6px; padding: .5rem 1rem; min-width: 8rem; }
.card b { display: block; font-size: 1.5rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #eceff2; vertical-align: top;
  overflow-wrap: anywhere; }
th { background: #f5f7f9; } td.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.rate { white-space: nowrap; width: 12.5rem; font-variant-numeric: tabular-nums; }
.bar { background: #eceff2; width: 8rem; height: .8rem; border-radius: 3px; display: inline-block;
  vertical-align: middle; margin-right: .4rem; }
.bar span { display: block; height: 100%; border-radius: 3px; background: #3c8c5a; }
.low span { background: #c0533b; } .mid span { background: #d49a2a; }
.tag { font-size: .75rem; color: #6b4fa0; border: 1px solid #b9a7db; border-radius: 3px; padding: 0 .25rem;
  white-space: nowrap; }
.msg { white-space: pre-wrap; font-size: .9rem; overflow-wrap: anywhere; }
svg { max-width: 100%; height: auto; }
svg text { font: 12px system-ui, sans-serif; fill: #1d232a; }
details summary { cursor: pointer; color: #2a5d8c; }
table.side { table-layout: fixed; }
.group pre { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; font-size: .8rem; line-height: 1.35; }
mark { background: #ffe08a; }
"""


def text(value: object) -> str:
    return escape(clean(str(value)))


def points(value: float) -> str:
    """Every score on the page: at most one decimal, none when whole."""
    return f"{round(value, 1):g}"


def percent(rate: float) -> str:
    return f"{100 * rate:.0f}%"


def bar(rate: float) -> str:
    level = "low" if rate < 0.5 else "mid" if rate < 0.8 else ""
    return f'<span class="bar {level}"><span style="width:{percent(rate)}"></span></span>{percent(rate)}'


def table(
    header: list[str],
    rows: list[list[str]],
    numeric: set[int] = frozenset(),
    rates: set[int] = frozenset(),
    shown: int = 25,
    name: str = "",
) -> str:
    """A table of its first ``shown`` rows; the rest folded away behind their count."""

    def cell(index: int, content: str) -> str:
        kind = "n" if index in numeric else "rate" if index in rates else ""
        return f'<td class="{kind}">{content}</td>' if kind else f"<td>{content}</td>"

    def body(part: list[list[str]]) -> str:
        return "".join("<tr>" + "".join(cell(i, c) for i, c in enumerate(row)) + "</tr>" for row in part)

    head = "<thead><tr>" + "".join(f"<th>{h}</th>" for h in header) + "</tr></thead>"
    opening = f'<table class="{name}">' if name else "<table>"
    html = f"{opening}{head}<tbody>{body(rows[:shown])}</tbody></table>" if rows[:shown] else ""
    if rows[shown:]:
        more = f"{len(rows) - shown} more" if shown else f"{len(rows)} rows"
        rest = f"{opening}{head}<tbody>{body(rows[shown:])}</tbody></table>"
        html += f"<details><summary>{more}</summary>{rest}</details>"
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
    members = grades.members
    everything = sum(s.score == s.max_score and s.max_score > 0 for s in members)
    exercises = stats.exercise_stats(grades)
    cards = [
        ("students", str(len(members))),
        ("exercises", str(len(grades.exercises))),
        ("mean score", f"{statistics.fmean(percents):.0f}%" if percents else "–"),
        ("median score", f"{statistics.median(percents):.0f}%" if percents else "–"),
        ("full marks", str(everything)),
        ("not started (a stub handed in untouched)", str(sum(s.not_started for s in exercises))),
        ("could not be graded", str(sum(s.errors for s in exercises))),
    ]
    if grades.similar is not None:
        cards.append(("groups of similar submissions", str(len(grades.similar))))
    if len(members) < len(grades.students):
        cards.append(("test users, counted nowhere", str(len(grades.students) - len(members))))
    return '<div class="cards">' + "".join(f"<div class=card><b>{v}</b>{k}</div>" for k, v in cards) + "</div>"


def concepts_section(found: list[ConceptMastery]) -> str:
    if not found:
        return "<p>No check of this assignment ran.</p>"
    rows = [
        [text(c.concept.title), bar(c.rate), f"{c.mastered}/{c.tried}", str(c.checks)]
        if c.tried
        else [text(c.concept.title), "no one tried", "0/0", str(c.checks)]
        for c in found
    ]
    intro = (
        "<p class=sub>A student has mastered an idea when every check of it that ran on their work passed; "
        "the mastery is their share of the students those checks ran on (work not started, a stub handed in "
        "untouched, and submissions that could not be graded left out). Below the table, the mistakes behind "
        "each idea.</p>"
    )
    header = ["idea of the lecture", "mastery", "mastered", "checks"]
    return intro + table(header, rows, numeric={2, 3}, rates={1}, name="concepts")


def mistakes_section(found: list[ConceptMastery], shown: int = 5) -> str:
    parts = []
    for concept in found:
        if not concept.mistakes:
            continue
        rows = [
            [
                f"{m.students} of {m.tried}",
                text(m.exercise_id),
                text(m.check.title) + (' <span class="tag">hidden</span>' if m.check.visibility == "hidden" else ""),
                f'<div class="msg">{text(m.message)}</div>'
                + (f" <span class=sub>({m.same_message} of them)</span>" if m.same_message < m.students else ""),
            ]
            for m in concept.mistakes
        ]
        header = ["failed by", "exercise", "check", "what most of them were told"]
        parts.append(f"<h3>{text(concept.concept.title)}</h3>" + table(header, rows, numeric={0}, shown=shown))
    return "".join(parts) or "<p>No check failed.</p>"


def exercises_section(grades: ClassResults) -> str:
    rows = []
    count = len(grades.members)
    for s in stats.exercise_stats(grades):
        rows.append(
            [
                text(s.exercise.id),
                text(s.exercise.title),
                f"{s.submitted}/{count}",
                str(s.not_started),
                bar(s.passed / s.attempted if s.attempted else 0.0),
                f"{points(s.mean)}/{points(s.max_score)}",
                str(s.errors),
            ]
        )
    header = [
        "exercise",
        "title",
        "submitted",
        "not started",
        "passed every check, of those who tried",
        "mean score",
        "could not be graded",
    ]
    return table(header, rows, numeric={2, 3, 5, 6}, rates={4})


def checks_section(grades: ClassResults) -> str:
    rows = [
        [
            text(c.exercise_id),
            text(c.check.title)
            + (' <span class="tag">hidden</span>' if c.check.visibility == "hidden" else "")
            + ("" if c.ranked else ' <span class="tag">too few tried to rank</span>'),
            text(BY_ID[c.check.concept].title),
            bar(c.rate),
            f"{c.passed}/{c.tried}",
        ]
        for c in stats.check_stats(grades)
        if c.tried
    ]
    intro = (
        f"<p class=sub>Ranked by how often at least each check fails, given how many it ran on (the lower end of "
        f"a 95% confidence interval of its failure rate); checks fewer than {stats.MIN_TRIED} students tried "
        "come last.</p>"
    )
    header = ["exercise", "check", "idea", "pass rate", "passed"]
    return intro + table(header, rows, numeric={4}, rates={3}, shown=15, name="checks")


def code_view(code: str, marks: Sequence[tuple[int, int]]) -> str:
    """The code as text, the parts the other file matches marked."""
    parts, at = [], 0
    for start, end in marks:
        parts.append(escape(code[at:start]) + "<mark>" + escape(code[start:end]) + "</mark>")
        at = end
    return "<pre>" + "".join(parts) + escape(code[at:]) + "</pre>"


def pair_line(pair: Pair) -> list[str]:
    first, second = pair.students
    return [
        f"{text(first)} and {text(second)}",
        f"{percent(pair.matched[0])} of {text(first)}'s own code, {percent(pair.matched[1])} of {text(second)}'s",
        str(pair.shared),
    ]


def group_view(group: Group) -> str:
    top = group.pairs[0]
    first, second = top.students
    if top.codes[0] == top.codes[1]:
        summary = f"{text(first)} and {text(second)}: the same code, character for character"
        view = code_view(top.codes[0], ())
    else:
        summary = f"{text(first)} and {text(second)} side by side, what matches marked"
        view = (
            '<table class="side"><thead><tr>'
            f"<th>{text(first)}</th><th>{text(second)}</th></tr></thead><tbody><tr>"
            f"<td>{code_view(top.codes[0], top.spans[0])}</td><td>{code_view(top.codes[1], top.spans[1])}</td>"
            "</tr></tbody></table>"
        )
    header = ["students", "matched", "code shared (tokenised characters)"]
    return (
        f'<div class="group"><h3>{text(group.exercise_id)} · {", ".join(text(s) for s in group.students)}</h3>'
        + table(header, [pair_line(pair) for pair in group.pairs], numeric={2}, shown=10, name="pairs")
        + f"<details open><summary>{summary}</summary>{view}</details></div>"
    )


def similar_section(grades: ClassResults) -> str:
    if grades.similar is None:
        return "<p>Not looked for in this run (<code>--no-similarity</code>).</p>"
    intro = (
        "<p class=sub>Code is compared after tokenising (names and strings become placeholders, comments and "
        "spacing go), so renamed variables and reordered functions still match. The stub every student was "
        "given, and code at least a fifth of the class share, are left out: what is compared is each student's "
        f"own code. A pair is listed when the other's code matches at least {percent(grades.similarity_threshold)} "
        "of one of the two's own code and they share enough of it to be more than a short answer written alike "
        "(<code>--similarity-threshold</code> sets the share). Similar is not proof of copying: read the code.</p>"
    )
    if not grades.similar:
        return intro + "<p>No pair of submissions is that similar.</p>"
    return intro + "".join(group_view(group) for group in grades.similar)


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
            text(s.name) + (' <span class="tag">test user, counted nowhere</span>' if s.test else ""),
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
    ideas = mastery(grades)
    sections = [
        ("concepts", "Ideas of the lecture", concepts_section(ideas)),
        ("mistakes", "The mistakes behind each idea", mistakes_section(ideas)),
        ("scores", "Scores", histogram_svg(stats.histogram(grades))),
        ("exercises", "Exercises", exercises_section(grades)),
        ("checks", "Checks, the hardest first", checks_section(grades)),
        ("similar", "Similar submissions", similar_section(grades)),
        ("errors", "Submissions that could not be graded", errors_section(grades)),
        ("notes", "Files that were not graded", notes_section(grades)),
        ("students", "Students", students_section(grades)),
        ("run", "Run", run_section(grades)),
    ]
    body = "".join(f'<section id="{key}"><h2>{title}</h2>{html}</section>' for key, title, html in sections)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>forwardpass · {text(grades.source)}</title><style>{STYLE}</style></head><body>"
        f"<h1>How the class did</h1><p class=sub>{text(grades.source)} · for course staff: this page shows "
        "hidden checks' messages and which submissions are alike; hand students their feedback.md instead.</p>"
        f"{overview(grades)}{body}</body></html>\n"
    )
