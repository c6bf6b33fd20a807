"""An exercise's docstring, written in the reStructuredText of Python docstrings, as Markdown.

Only what the solutions use: the title line, ``literals``, ``::`` before an indented block
(Python code), and simple tables (kept as preformatted text). Bullets, *emphasis* and
**strong** are the same in both.
"""

from __future__ import annotations

import re
import textwrap

LITERAL = re.compile(r"``(.+?)``")
TABLE_RULE = re.compile(r"^=+( +=+)+$")


def inline(text: str) -> str:
    return LITERAL.sub(lambda match: f"`{match.group(1)}`", text)


def indented_block(lines: list[str], start: int) -> int:
    """The index just past the indented block (blank lines inside it included) from ``start``."""
    end = start
    while end < len(lines) and (not lines[end].strip() or lines[end].startswith((" ", "\t"))):
        end += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return end


def fence(lines: list[str], language: str) -> list[str]:
    return [f"```{language}", *textwrap.dedent("\n".join(lines)).splitlines(), "```"]


def to_markdown(docstring: str) -> str:
    """The docstring as Markdown; its first line becomes the title."""
    lines = textwrap.dedent(docstring).strip("\n").splitlines()
    if not lines:
        return ""
    out = [f"# {inline(lines[0].strip().rstrip('.'))}"]
    index = 1
    while index < len(lines):
        line = lines[index]
        if TABLE_RULE.match(line.strip()):
            end = index + 1
            rules = 1
            while end < len(lines) and rules < 3 and lines[end].strip():
                rules += bool(TABLE_RULE.match(lines[end].strip()))
                end += 1
            out += fence(lines[index:end], "text")
            index = end
            continue
        if line.rstrip().endswith("::"):
            text = line.rstrip()[:-2]
            if text.strip():
                out.append(inline(text.rstrip() + ("" if text.endswith(" ") else ":")))
            start = index + 1
            while start < len(lines) and not lines[start].strip():
                start += 1
            end = indented_block(lines, start)
            if end > start:
                out += ["", *fence(lines[start:end], "python")]
                index = end
                continue
            index += 1
            continue
        out.append(inline(line))
        index += 1
    return "\n".join(out).strip() + "\n"
