"""A solution file cut into the parts a notebook shows: the assignment, given code and answers.

Every top-level class or function with a ``### BEGIN SOLUTION`` region becomes an answer cell
of its own (nbgrader turns the region into ``raise NotImplementedError()``); other classes and
functions are given code, one cell each; imports and constants between them are grouped. A
comment above a definition stays with it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Literal

from graders.stubs import BEGIN

Kind = Literal["given", "answer"]


@dataclass(frozen=True)
class Part:
    kind: Kind
    name: str  # the class or function it defines; "" for grouped statements
    source: str


@dataclass(frozen=True)
class Solution:
    docstring: str
    parts: tuple[Part, ...]


def owned_end(lines: list[str], end: int) -> int:
    """Past the indented and blank lines that follow line ``end`` (1-based), blank ones at the end excluded."""
    while end < len(lines) and (not lines[end].strip() or lines[end][:1].isspace()):
        end += 1
    while not lines[end - 1].strip():
        end -= 1
    return end


def split_solution(source: str, name: str = "<solution>") -> Solution:
    """The docstring and the parts of a solution's source, in order."""
    tree = ast.parse(source, name)
    lines = source.splitlines()
    body = list(tree.body)
    docstring = ast.get_docstring(tree, clean=False) or ""
    if docstring:
        body = body[1:]
    parts: list[Part] = []
    group: list[str] = []

    def flush() -> None:
        text = "\n".join(group).strip("\n")
        if text.strip():
            parts.append(Part("given", "", text))
        group.clear()

    start = (tree.body[0].end_lineno or 0) if docstring else 0  # lines before `start` are taken
    for index, node in enumerate(body):
        # A statement owns the comments above it and its indented lines below it (such as a
        # function's closing `### END SOLUTION`); the last one owns the rest of the file.
        end = len(lines) if index == len(body) - 1 else owned_end(lines, node.end_lineno or node.lineno)
        chunk = lines[start:end]
        start = end
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            group += chunk
            continue
        flush()
        kind: Kind = "answer" if any(line.strip() == BEGIN for line in chunk) else "given"
        parts.append(Part(kind, node.name, "\n".join(chunk).strip("\n")))
    flush()
    return Solution(docstring, tuple(parts))
