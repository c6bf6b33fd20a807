"""The assignment as sentences, and the audit that ties each one to what tests it.

An exercise's assignment is every docstring of its stub: the module's (the task), and those of the
classes and functions the student completes. A grade promises that every sentence which states a
behaviour is checked, so each sentence must be accounted for in the grader spec: by a ``Claim``
naming the checks that test it, or as ``prose`` (what PyTorch does, why, the lecture's slips). A
sentence that is neither, a claim that quotes nothing, or a check that no claim names is a problem
``audit`` reports to the author.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from graders.spec import Exercise

# Where one sentence ends and the next begins: after . ! or ? and a space, unless the period ends
# an abbreviation ("e.g.", "i.e.", "etc.", "vs.").
_SENTENCE_END = re.compile(r"(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\betc\.)(?<!\bvs\.)(?<=[.!?])\s+(?=\S)")
_BULLET = re.compile(r"^(?:[*\-]|\d+\.)\s+")
_HEADING = re.compile(r"(?:\S+ ?){1,4}::")


@dataclass(frozen=True)
class Sentence:
    """One unit of the assignment: a sentence, a bullet's sentence, or a whole code example."""

    text: str  # whitespace collapsed
    where: str  # "the module's docstring", "MyModel.forward's docstring"


def normalised(text: str) -> str:
    return " ".join(text.split())


def docstrings(source: str) -> list[tuple[str, str]]:
    """(where, cleaned docstring) for the module and every class and function, in file order."""
    tree = ast.parse(source)
    found: list[tuple[str, str]] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                name = f"{prefix}{child.name}"
                text = ast.get_docstring(child, clean=True)
                if text:
                    found.append((f"{name}'s docstring", text))
                visit(child, f"{name}.")

    module = ast.get_docstring(tree, clean=True)
    if module:
        found.append(("the module's docstring", module))
    visit(tree, "")
    return found


def units(text: str) -> list[str]:
    """A docstring cut into units: code examples whole (after ``::``, or doctest lines), bullets and
    paragraphs into sentences. A short heading ("Example::") introduces what follows and is left out."""
    lines = text.splitlines()
    blocks: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.extend(_SENTENCE_END.split(" ".join(paragraph)))
            paragraph.clear()

    index = 0
    while index < len(lines):
        line, stripped = lines[index], lines[index].strip()
        index += 1
        if stripped.startswith(">>>"):  # a doctest runs to the next blank line
            flush()
            start = index - 1
            while index < len(lines) and lines[index].strip():
                index += 1
            blocks.append(" ".join(part.strip() for part in lines[start:index]))
            continue
        if not stripped:
            flush()
            continue
        if _BULLET.match(stripped):
            flush()
            stripped = _BULLET.sub("", stripped)
        paragraph.append(stripped)
        if stripped.endswith("::"):  # what is indented below it is one example
            flush()
            indent = len(line) - len(line.lstrip())
            start = index
            while index < len(lines) and (not lines[index].strip() or _indent(lines[index]) > indent):
                index += 1
            blocks.append(" ".join(part.strip() for part in lines[start:index] if part.strip()))
    flush()
    return [unit for unit in map(normalised, blocks) if unit and not _HEADING.fullmatch(unit)]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def sentences(source: str) -> list[Sentence]:
    return [Sentence(unit, where) for where, text in docstrings(source) for unit in units(text)]


def covers(key: str, sentence: str) -> bool:
    """A quoted passage accounts for a sentence it occurs in, or that occurs in it (a passage
    quoted across sentences)."""
    key = normalised(key)
    return key in sentence or sentence in key


def audit(exercise: Exercise, source: str) -> list[str]:
    """What the author must fix for every sentence of the assignment ``source`` to be accounted for."""
    found = sentences(source)
    whole = normalised(" ".join(sentence.text for sentence in found))
    problems = []
    check_ids = {check.id for check in exercise.checks}
    keys = [claim.text for claim in exercise.claims] + list(exercise.prose)
    for key in keys:
        if normalised(key) not in whole and not any(covers(key, s.text) for s in found):
            problems.append(f"quotes a passage the assignment does not hold: {key!r}")
    for claim in exercise.claims:
        if not claim.checks:
            problems.append(f"a claim names no check (test it, or say it as prose): {claim.text!r}")
        unknown = sorted(set(claim.checks) - check_ids)
        if unknown:
            problems.append(f"a claim names checks that do not exist, {unknown}: {claim.text!r}")
    claimed = {check_id for claim in exercise.claims for check_id in claim.checks}
    for check in exercise.checks:
        if check.id not in claimed:
            problems.append(f"check {check.id!r} tests what no sentence of the assignment says: add a claim")
    for sentence in found:
        if not any(covers(key, sentence.text) for key in keys):
            problems.append(f"{sentence.where}: no claim or prose accounts for {sentence.text!r}")
    return problems


def audit_file(exercise: Exercise, path: Path) -> list[str]:
    return audit(exercise, path.read_text(encoding="utf-8"))
