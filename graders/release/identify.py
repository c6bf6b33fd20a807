"""Which exercise a student's file is for, whatever they named it (Gradescope keeps their names).

First by its name, as the bulk grader matches names (an ``exNN`` prefix or the exercise's name,
through LMS renamings); else by its code: the classes and functions it defines, against those
each exercise's stub asks for (the ones whose body is ``raise NotImplementedError``); and last, a
single file left over when a single exercise is left without one is that exercise's.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from graders import registry
from graders.bulk.inputs import exercise_of
from graders.sources import UnreadableSubmission, read_source

DEFINITION = re.compile(rb"^(?:async\s+)?(?:def|class)\s+(\w+)", re.M)


def defined_names(code: bytes) -> set[str]:
    """The names a module defines at its top level (by a line scan if it does not parse)."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return {match.decode(errors="replace") for match in DEFINITION.findall(code)}
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def raises_not_implemented(node: ast.AST) -> bool:
    return any(
        isinstance(inner, ast.Raise) and inner.exc is not None and "NotImplementedError" in ast.unparse(inner.exc)
        for inner in ast.walk(node)
    )


@cache
def asked_names(exercise_id: str) -> frozenset[str]:
    """What the exercise's stub leaves for the student to write."""
    tree = ast.parse((registry.EXERCISES / f"{exercise_id}.py").read_bytes())
    return frozenset(
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and raises_not_implemented(node)
    )


def by_code(path: Path, exercises: Sequence[str]) -> str | None:
    """The exercise whose stub's names the file defines the largest share of, if one stands out."""
    try:
        names = defined_names(read_source(path).code)
    except UnreadableSubmission:
        return None
    shares = {e: len(names & asked_names(e)) / len(asked_names(e)) for e in exercises if asked_names(e)}
    best = max(shares.values(), default=0)
    leaders = [e for e, share in shares.items() if share == best]
    return leaders[0] if best > 0 and len(leaders) == 1 else None


def identify(files: Sequence[tuple[str, Path]], exercises: Sequence[str]) -> list[str | None]:
    """For each (name as submitted, path), in order: the exercise of ``exercises`` it is for, or None
    (a file named after an exercise outside ``exercises`` stays None)."""
    named = [exercise_of(name) for name, _ in files]
    found = [
        e if e in exercises else None if e else by_code(path, exercises)
        for e, (_, path) in zip(named, files, strict=True)
    ]
    unknown = [i for i, e in enumerate(found) if e is None and named[i] is None]
    missing = [e for e in exercises if e not in found]
    if len(unknown) == 1 and len(missing) == 1:
        found[unknown[0]] = missing[0]
    return found
