"""Text as Markdown that reads as plain text too: escaped only where Markdown would read it otherwise.

Feedback is pasted into LMS comments, read raw and rendered, and its messages and names carry text
from submissions: rendered, that text must show as the characters it is, never as markup or HTML;
read raw, it must not be strewn with backslashes. So a character is escaped only where CommonMark
(and GitHub's tables and strikethrough) would give it a meaning there: ``<`` that could open a
tag, ``&`` that could start an entity, ``*``, ``_`` and ``~`` that could open or close emphasis, a
``]`` that could make a link, a backslash before punctuation, a backtick no other closes, and the
first character of a line that would start a heading, a list, a quote, a fence, a table or a link
definition. Code in backticks (as messages quote code) stays code, and ``__init__``-style names
become code. Lines stay lines (Markdown's hard line breaks).
"""

from __future__ import annotations

import re
import string
import unicodedata

from graders.text import clean

DUNDER = re.compile(r"(?<![\w`])__\w+__(?![\w`])")  # a Python special name: code, wherever it is
LINE_STARTS = (
    re.compile(r"#{1,6}(\s|$)"),  # a heading
    re.compile(r"[-+*](\s|$)"),  # a bullet
    re.compile(r"\d{1,9}[.)](\s|$)"),  # a numbered item: escaped after its digits
    re.compile(r">"),  # a quote
    re.compile(r"(=+|-+)\s*$"),  # a heading's underline
    re.compile(r"([-*_])(\s*\1){2,}\s*$"),  # a rule
    re.compile(r"(`{3,}|~{3,})"),  # a fence
    re.compile(r"(?=[^|]*\|)(?=[^-]*-)[\s:|-]+$"),  # a table's delimiter row
    re.compile(r"\[[^\]]*\]:"),  # a link definition
)


def code_spans(line: str) -> dict[int, int]:
    """Where each code span of ``line`` starts, and where it ends: a run of backticks closed by the
    next run of as many."""
    spans, at = {}, 0
    while (start := line.find("`", at)) >= 0:
        opener = len(line) - len(line[start:].lstrip("`"))
        width = opener - start
        closing = re.compile(rf"(?<!`)`{{{width}}}(?!`)")
        match = closing.search(line, opener)
        if match:
            spans[start] = match.end()
            at = match.end()
        else:
            at = opener
    return spans


def punctuation(char: str) -> bool:
    return char in string.punctuation or unicodedata.category(char)[0] in "PS"


def flanking(before: str, after: str) -> bool:
    """Whether a run of ``*``, ``_`` or ``~`` between these characters could open or close emphasis."""
    left = not after.isspace() and (not punctuation(after) or before.isspace() or punctuation(before))
    right = not before.isspace() and (not punctuation(before) or after.isspace() or punctuation(after))
    return left or right


def needs_escape(run: str, before: str, after: str) -> bool:
    if run[0] == "_" and before.isalnum() and after.isalnum():
        return False  # inside a word: snake_case never emphasises
    return flanking(before, after)


def escape_line(line: str) -> str:
    spans = code_spans(line)
    out, at = [], 0
    while at < len(line):
        if at in spans:
            out.append(line[at : spans[at]])
            at = spans[at]
            continue
        dunder = DUNDER.match(line, at)
        if dunder:
            out.append(f"`{dunder.group()}`")
            at = dunder.end()
            continue
        char = line[at]
        before = line[at - 1] if at else " "
        if char in "*_~":
            end = at + len(line[at:]) - len(line[at:].lstrip(char))
            run = line[at:end]
            after = line[end] if end < len(line) else " "
            out.append("".join("\\" + c for c in run) if needs_escape(run, before, after) else run)
            at = end
            continue
        rest = line[at + 1 :]
        escaped = (
            char == "`"
            or (char == "\\" and (not rest or rest[0] in string.punctuation))
            or (char == "<" and re.match(r"[A-Za-z/!?]", rest) is not None)
            or (char == "&" and re.match(r"#?\w+;", rest) is not None)
            or (char == "]" and rest[:1] in ("(", "["))
        )
        out.append("\\" + char if escaped else char)
        at += 1
    text = "".join(out)
    for start in LINE_STARTS:
        match = start.match(text)
        if match:
            digits = len(text) - len(text.lstrip(string.digits))
            return text[:digits] + "\\" + text[digits:]
    return text


def escape(text: str) -> str:
    """``text`` as Markdown that renders as these characters and reads as plain text; its lines
    kept as lines."""
    lines = clean(text).splitlines() or [""]
    return "  \n".join(escape_line(line.strip()) for line in lines)


def code(text: str) -> str:
    """``text`` (one line, such as a file name) as inline code, whatever backticks it holds."""
    text = clean(text).replace("\n", " ")
    if not text:
        return ""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
