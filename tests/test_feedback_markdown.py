"""feedback.md is Markdown that reads as plain text too: rendered by a Markdown library (markdown-it,
CommonMark with GitHub's tables) every message shows as the characters it is, code as code, and
nothing from a submission as markup; read raw, nothing is escaped where Markdown needs no escape."""

from __future__ import annotations

import html
import re

import pytest
from classes import EX01, result
from markdown_it import MarkdownIt

from graders import registry
from graders.bulk.feedback import feedback_markdown
from graders.bulk.markdown import code, escape
from graders.bulk.results import StudentResults

HOSTILE = [
    "Your conv2 has 10 output channels; check out_channels in `nn.Conv2d(20, 20, 5)`.",
    "Called MyModel()(x): 20·1·5·5 + 20 = 520, (x - mean) / std * weight + bias.",
    "<b>bold</b> &amp; <script>alert(1)</script> and AT&T",
    "*stars* **kwargs _private_ x_ ~~gone~~ [link](http://evil) ![img](x) C:\\path\\ \\*",
    "# not a heading\n- not a list\n1. not a list\n> not a quote\n---\n[ref]: http://evil\n|a|b|\n|-|-|",
    "a lone ` backtick and ``` three",
]


def rendered_text(markdown: str) -> str:
    """What a reader of the rendered Markdown sees: its HTML without tags, as one line."""
    page = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)
    page = re.sub(r"</?(code|em|strong|a|del|s)\b[^>]*>", "", page)  # inline: no space of its own
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def one_line(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_renders_as_the_characters_it_is(text: str) -> None:
    markdown = escape(text)
    page = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)
    assert not re.search(r"<(?!/?(p|br|code)\b)", page), page  # no element but paragraphs, breaks and code
    spans = "`nn.Conv2d(20, 20, 5)`"  # the one code span among them: shown as code, without its backticks
    assert rendered_text(markdown) == one_line(text.replace(spans, spans.strip("`")))


def test_code_spans_stay_code_and_nothing_is_escaped_without_need() -> None:
    assert escape(HOSTILE[0]) == HOSTILE[0]
    assert escape(HOSTILE[1]) == HOSTILE[1]
    assert escape("layers live in __init__") == "layers live in `__init__`"
    page = MarkdownIt("commonmark").render(escape(HOSTILE[0]))
    assert "<code>nn.Conv2d(20, 20, 5)</code>" in page
    assert code("ex01_my_model.py") == "`ex01_my_model.py`" and code("a`b") == "``a`b``"


def feedback() -> str:
    failing = {"conv2": HOSTILE[0], "parameter_count": HOSTILE[2], "output_shape": HOSTILE[4]}
    ex01 = result(EX01, failing)
    student = StudentResults("henry", "henry<b>&amp;", "henry", True, {EX01: ex01}, frozenset())
    return feedback_markdown(student, (registry.get(EX01),))


def test_feedback_reads_naturally_raw() -> None:
    text = feedback()
    assert "Your file: `ex01_my_model.py`" in text
    assert "| ex01_my_model | " in text and "\\_" not in text and "\\`" not in text
    assert f"  {HOSTILE[0]}" in text  # a message with code and underscores, as written
    hint = registry.get(EX01).hints[1].text
    assert f"- {hint}" in text  # the hint, with its code in backticks, as the course wrote it


def test_feedback_renders_as_markdown() -> None:
    text = feedback()
    page = MarkdownIt("commonmark").enable("table").render(text)
    assert "<table>" in page and "<h1>" in page and page.count("<h2>") == 1
    assert "<code>ex01_my_model.py</code>" in page and "<code>nn.Conv2d(20, 20, 5)</code>" in page
    assert "<b>" not in page and "<script" not in page
    shown = rendered_text(text)
    assert "Feedback for henry<b>&amp;" in shown
    for message in (HOSTILE[0], HOSTILE[2]):
        assert one_line(message.replace("`", "")) in shown
    assert "# not a heading - not a list 1. not a list > not a quote --- [ref]: http://evil" in shown
