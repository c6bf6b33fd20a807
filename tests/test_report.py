"""What report.html says about a class, and how it lays out in a real HTML engine.

The numbers: "not started" is its own category and never a failure, failures are grouped by check,
the hardest checks are ranked by how many tried, test users count nowhere, and the class's mastery
per idea of the lecture. The page: WeasyPrint (a real CSS layout engine, run here on Pango) lays it
out at a laptop's width and a narrow one; every section, the concept table and the similar
submissions side by side must be there, no box may stick out of the box that holds it, and no bar
may have its percentage wrapped under it.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from classes import CONV2, EX01, EX13, STUB, mixed_class
from copies import disguise

from graders import registry
from graders.bulk import stats
from graders.bulk.mastery import mastery
from graders.bulk.report import report_html
from graders.bulk.results import ClassResults
from graders.bulk.similarity import DEFAULT_THRESHOLD, Handed, similar_in
from graders.concepts import CONCEPTS

SECTIONS = ("concepts", "mistakes", "scores", "exercises", "checks", "similar", "errors", "notes", "students", "run")
WIDTHS = (1280, 720)  # a laptop's window, and a narrow one
TOLERANCE = 1.0  # px: rounding in the layout


def test_not_started_is_its_own_category_and_never_a_failure() -> None:
    grades = mixed_class()
    ex01 = next(s for s in stats.exercise_stats(grades) if s.exercise.id == EX01)
    assert (ex01.submitted, ex01.not_started, ex01.attempted, ex01.passed, ex01.errors) == (18, 2, 16, 12, 1)
    assert [e.student for e in stats.errored(grades)] == ["Crashed"]
    assert all("not implemented yet" not in m.message for m in stats.mistakes(grades))
    conv2 = next(c for c in stats.check_stats(grades) if c.check.id == "conv2")
    assert (conv2.passed, conv2.tried) == (12, 15)  # the stubs and the crash are not among those tried


def test_failures_are_grouped_by_check_whatever_values_their_messages_name() -> None:
    mistakes = {m.check.id: m for m in stats.mistakes(mixed_class()) if m.exercise_id == EX01}
    assert set(mistakes) == set(CONV2)
    conv2 = mistakes["conv2"]
    assert (conv2.students, conv2.tried, conv2.same_message) == (3, 15, 2)
    assert conv2.message == "Your conv2 has 10 output channels; the reference's has 20 output channels."


def test_the_hardest_checks_are_ranked_by_how_many_tried() -> None:
    ranking = stats.check_stats(mixed_class())
    first = ranking[0]
    # Two of three failed ex13's mode_restored, three of fifteen conv2: the class-wide mistake comes first.
    assert (first.exercise_id, first.check.id in CONV2) == (EX01, True)
    mode = next(c for c in ranking if c.exercise_id == EX13 and c.check.id == "mode_restored")
    assert (mode.failed, mode.tried, mode.ranked) == (2, 3, False)
    assert all(c.ranked for c in ranking[: ranking.index(mode)])
    assert stats.lower_bound(2, 3) > stats.lower_bound(3, 15) > 0  # the bound alone would not do it


def test_test_users_are_graded_but_counted_in_no_statistic() -> None:
    grades = mixed_class()
    assert len(grades.students) == 21 and len(grades.members) == 20
    assert sum(stats.histogram(grades)) == 20
    assert stats.exercise_stats(grades)[0].submitted == 18  # the Test Student handed ex01 in too
    assert all(m.students <= 3 for m in stats.mistakes(grades))  # its failures are nowhere


def test_mastery_per_concept_among_those_who_tried() -> None:
    ideas = {c.concept.id: c for c in mastery(mixed_class())}
    assert list(ideas) == [c.id for c in CONCEPTS if c.id in ideas]  # the lecture's order
    assert (ideas["subclass"].tried, ideas["subclass"].mastered) == (15, 12)
    assert (ideas["evaluation"].tried, ideas["evaluation"].mastered) == (3, 1)
    assert [m.check.id for m in ideas["subclass"].mistakes] == ["conv2"]
    assert ideas["evaluation"].mistakes[0].check.id == "mode_restored"


def reported_class(tmp_path: Path) -> ClassResults:
    """The mixed class, with a pair of similar ex06 submissions found in real files."""
    grades = mixed_class()
    reference = (registry.SOLUTIONS / "ex06_module_tree.py").read_text()
    files = {"Pass00": reference, "Wrong30": disguise(reference) + "\n# " + "x" * 400 + "\n"}
    for name, code in files.items():
        (tmp_path / f"{name}.py").write_text(code)
    handed = [Handed(name, tmp_path / f"{name}.py") for name in files]
    grades.similar = similar_in("ex06_module_tree", handed, DEFAULT_THRESHOLD)
    grades.similarity_threshold = DEFAULT_THRESHOLD
    assert grades.similar, "the copy was not found"
    return grades


def boxes(box: object) -> Iterator[object]:
    yield box
    for child in getattr(box, "children", ()):
        yield from boxes(child)


def hanging(box: object) -> float:
    """The width of the spaces that end a line of pre-wrapped text: CSS lets them hang past the line's
    end, where they show nothing (their share of the text's width, which is exact for code)."""
    texts = [b for b in boxes(box) if hasattr(b, "text") and b.text]
    if not texts or type(box).__name__ != "LineBox":
        return 0.0
    last = texts[-1]
    return last.width * (len(last.text) - len(last.text.rstrip())) / len(last.text)


def element(box: object) -> object | None:
    return getattr(box, "element", None)


def classes(box: object) -> set[str]:
    found = element(box)
    return set((found.get("class") or "").split()) if found is not None else set()


@pytest.fixture(scope="module")
def laid_out(tmp_path_factory: pytest.TempPathFactory) -> dict[int, list[object]]:
    """report.html laid out by WeasyPrint at each width: the tree of boxes of every page."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # no font subsetter here: the layout is the same
        from weasyprint import CSS, HTML

    html = report_html(reported_class(tmp_path_factory.mktemp("similar")))
    found = {}
    for width in WIDTHS:
        page = CSS(string=f"@page {{ size: {width}px 30000px; margin: 0 }}")  # one page: no table split
        document = HTML(string=html).render(stylesheets=[page])
        found[width] = [page._page_box for page in document.pages]  # the layout's root box: not public API
    return found


@pytest.mark.parametrize("width", WIDTHS)
def test_the_report_has_every_section_the_concept_table_and_similar_code_side_by_side(laid_out, width) -> None:
    every = [box for page in laid_out[width] for box in boxes(page)]
    shown = {element(box).get("id") for box in every if element(box) is not None and box.height > 0}
    assert set(SECTIONS) <= shown
    tables = [box for box in every if type(box).__name__ == "TableBox" and "concepts" in classes(box)]
    [concepts] = tables
    rows = [box for box in boxes(concepts) if type(box).__name__ == "TableRowBox"]
    assert len(rows) == 1 + len(mastery(mixed_class()))  # the header, then one row per idea
    side = [box for box in every if type(box).__name__ == "TableBox" and "side" in classes(box)]
    cells = [box for box in boxes(side[0]) if type(box).__name__ == "TableCellBox"]
    assert len(cells) == 4 and all(cell.height > 100 for cell in cells[2:])  # two names, two listings
    marked = [box for box in boxes(side[0]) if getattr(box, "element_tag", "") == "mark"]
    assert marked, "nothing is marked as matching"


@pytest.mark.parametrize("width", WIDTHS)
def test_no_box_sticks_out_of_the_box_that_holds_it(laid_out, width) -> None:
    stuck_out = []
    for page in laid_out[width]:
        for parent in boxes(page):
            left, right = parent.border_box_x(), parent.border_box_x() + parent.border_width()
            for child in getattr(parent, "children", ()):
                start, end = child.border_box_x(), child.border_box_x() + child.border_width() - hanging(child)
                if start < left - TOLERANCE or end > right + TOLERANCE:
                    stuck_out.append((type(child).__name__, getattr(child, "element_tag", ""), round(end - right)))
    assert stuck_out == []


@pytest.mark.parametrize("width", WIDTHS)
def test_every_bar_keeps_its_percentage_on_its_line(laid_out, width) -> None:
    every = [box for page in laid_out[width] for box in boxes(page)]
    cells = [box for box in every if type(box).__name__ == "TableCellBox" and "rate" in classes(box)]
    assert len(cells) > 10
    for cell in cells:
        lines = [child for child in cell.children if type(child).__name__ == "LineBox"]
        assert len(lines) == 1, [box.text for box in boxes(cell) if hasattr(box, "text")]


def test_numbers_have_one_format() -> None:
    html = report_html(mixed_class())
    scores = re.findall(r"(\d+(?:\.\d+)?)/(\d+(?:\.\d+)?)</td>", html)
    assert scores and all(len(number.split(".")[-1]) == 1 for pair in scores for number in pair if "." in number)
    assert STUB not in html.replace("&#x27;", "'")  # a stub's message is in no list of failures
