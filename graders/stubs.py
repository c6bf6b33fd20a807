"""Stubs from solutions: each ``### BEGIN SOLUTION`` … ``### END SOLUTION`` region becomes a
``raise NotImplementedError`` that names the function to write; everything else, signatures and
docstrings included, is kept as it is. solutions/ is the single source; exercises/ is derived.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from pathlib import Path

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"


class StubError(ValueError):
    """A solution file whose regions cannot become a stub; the message tells the author why."""


def enclosing_function(tree: ast.Module, line: int) -> str | None:
    """The qualified name of the innermost function around ``line``, if any."""
    best: tuple[int, str] | None = None

    def visit(node: ast.AST, prefix: str) -> None:
        nonlocal best
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                name = f"{prefix}{child.name}"
                if child.lineno <= line <= (child.end_lineno or child.lineno) and (
                    best is None or child.lineno >= best[0]
                ):
                    best = (child.lineno, name)
                visit(child, f"{name}.<locals>.")

    visit(tree, "")
    return best[1] if best else None


def make_stub(source: str, name: str = "<solution>") -> str:
    """The student's version of a solution's source."""
    tree = ast.parse(source, name)
    lines = source.splitlines(keepends=True)
    stub: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.strip() != BEGIN:
            if line.strip() == END:
                raise StubError(f"{name}:{index + 1}: {END} without a {BEGIN} before it")
            stub.append(line)
            index += 1
            continue
        end = next((i for i in range(index + 1, len(lines)) if lines[i].strip() in (BEGIN, END)), None)
        if end is None or lines[end].strip() != END:
            raise StubError(f"{name}:{index + 1}: {BEGIN} needs a matching {END} before the next region")
        function = enclosing_function(tree, index + 1)
        if function is None:
            raise StubError(f"{name}:{index + 1}: put solution regions inside a function or method body")
        indent = line[: len(line) - len(line.lstrip())]
        stub.append(f'{indent}raise NotImplementedError("{function} is not implemented yet")\n')
        index = end + 1
    result = "".join(stub)
    ast.parse(result, name)
    return result


def stub_for(solution: Path) -> str:
    return make_stub(solution.read_text(encoding="utf-8"), str(solution))


def write_stubs(solutions: Path, exercises: Path, only: Sequence[str] = ()) -> list[Path]:
    """Regenerate the stubs (of ``only`` these exercise ids, if given); returns the files that changed."""
    changed = []
    exercises.mkdir(exist_ok=True)
    for solution in sorted(solutions.glob("ex[0-9][0-9]_*.py")):
        if only and solution.stem not in only:
            continue
        target = exercises / solution.name
        stub = stub_for(solution)
        if not target.exists() or target.read_text(encoding="utf-8") != stub:
            target.write_text(stub, encoding="utf-8")
            changed.append(target)
    return changed


def stale_stubs(solutions: Path, exercises: Path) -> list[Path]:
    """Exercise files that differ from what their solutions generate (or are missing)."""
    return [
        exercises / solution.name
        for solution in sorted(solutions.glob("ex[0-9][0-9]_*.py"))
        if not (exercises / solution.name).exists()
        or (exercises / solution.name).read_text(encoding="utf-8") != stub_for(solution)
    ]
