"""Stubs from solutions: each ``### BEGIN SOLUTION`` … ``### END SOLUTION`` region becomes a
``raise NotImplementedError`` that names the function to write; everything else, signatures and
docstrings included, is kept as it is. solutions/ is the single source; exercises/ is derived.

A stub in another language takes its words from ``solutions/<language>/<exercise>.py``: a skeleton
whose docstrings (the assignment) replace the stub's, definition by definition, and whose comment
lines replace the stub's own comment lines, in order. The code stays the English stub's, character
for character.
"""

from __future__ import annotations

import ast
import io
import json
import tokenize
from collections.abc import Iterator, Sequence
from pathlib import Path

from graders.i18n import ENGLISH, N_, translation

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
# What a stub raises; the grader recognises it in every language (``explain.unfinished_function``).
UNFINISHED = N_("{function} is not implemented yet")


class StubError(ValueError):
    """A solution file whose regions cannot become a stub; the message tells the author why."""


def definitions(tree: ast.Module) -> Iterator[tuple[str, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef]]:
    """Every class and function with its qualified name (``Model.forward``, ``helper.<locals>.inner``)."""

    def visit(
        node: ast.AST, prefix: str
    ) -> Iterator[tuple[str, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                name = f"{prefix}{child.name}"
                yield name, child
                yield from visit(child, f"{name}." if isinstance(child, ast.ClassDef) else f"{name}.<locals>.")

    return visit(tree, "")


def enclosing_function(tree: ast.Module, line: int) -> str | None:
    """The qualified name of the innermost function around ``line``, if any."""
    best: tuple[int, str] | None = None
    for name, node in definitions(tree):
        if (
            isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.lineno <= line <= (node.end_lineno or node.lineno)
            and (best is None or node.lineno >= best[0])
        ):
            best = (node.lineno, name)
    return best[1] if best else None


def make_stub(source: str, name: str = "<solution>", language: str = ENGLISH) -> str:
    """The student's version of a solution's source; what it raises is said in ``language``."""
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
        unfinished = translation(language).gettext(UNFINISHED).format(function=function)
        stub.append(f"{indent}raise NotImplementedError({json.dumps(unfinished, ensure_ascii=False)})\n")
        index = end + 1
    result = "".join(stub)
    ast.parse(result, name)
    return result


def docstrings(tree: ast.Module) -> dict[str, ast.Constant]:
    """The docstring of the module (under ``""``) and of every documented definition, by qualified name."""
    found = {}
    for name, node in [("", tree), *definitions(tree)]:
        first = node.body[0] if node.body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
            found[name] = first.value
    return found


def comment_lines(source: str) -> list[tokenize.TokenInfo]:
    """The comments that stand on a line of their own (a comment after code belongs to the code)."""
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return [token for token in tokens if token.type == tokenize.COMMENT and not token.line[: token.start[1]].strip()]


def translated(stub: str, texts: str, name: str = "<stub>", comments: bool = True) -> str:
    """``stub`` with the docstrings and (``comments``) the comment lines of ``texts``, a skeleton in another
    language."""
    stub_tree, texts_tree = ast.parse(stub, name), ast.parse(texts, name)
    wanted, given = docstrings(stub_tree), docstrings(texts_tree)
    if set(wanted) != set(given):
        missing, extra = sorted(set(wanted) - set(given)), sorted(set(given) - set(wanted))
        raise StubError(f"{name}: the translation documents other definitions: missing {missing}, extra {extra}")
    own, translations = (comment_lines(stub), comment_lines(texts)) if comments else ([], [])
    if len(own) != len(translations):
        raise StubError(f"{name}: the stub has {len(own)} comment lines, the translation {len(translations)}")
    lines = stub.splitlines(keepends=True)
    starts = [0]  # where each line starts in ``stub``
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(line: int, column: int, in_bytes: bool = False) -> int:
        """Where (line, column) is in ``stub``; ast counts columns in bytes of UTF-8, tokenize in characters."""
        text = lines[line - 1]
        return starts[line - 1] + (len(text.encode()[:column].decode()) if in_bytes else column)

    replaced = [
        (
            offset(node.lineno, node.col_offset, True),
            offset(node.end_lineno, node.end_col_offset, True),
            source_of(texts, given[key]),
        )
        for key, node in wanted.items()
    ]
    replaced += [(offset(*old.start), offset(*old.end), new.string) for old, new in zip(own, translations, strict=True)]
    result = stub
    for start, end, text in sorted(replaced, reverse=True):
        result = result[:start] + text + result[end:]
    ast.parse(result, name)
    return result


def source_of(source: str, node: ast.Constant) -> str:
    return ast.get_source_segment(source, node) or repr(node.value)


def texts_path(solution: Path, language: str) -> Path:
    """Where the words of ``solution``'s stub in ``language`` are: ``solutions/<language>/<name>``."""
    return solution.parent / language / solution.name


def stub_for(solution: Path, language: str = ENGLISH) -> str:
    """The stub of ``solution``, its words in ``language``."""
    stub = make_stub(solution.read_text(encoding="utf-8"), str(solution), language)
    if language == ENGLISH:
        return stub
    texts = texts_path(solution, language)
    return translated(stub, texts.read_text(encoding="utf-8"), str(texts))


def described_in(solution: Path, language: str) -> str:
    """The solution's source with its docstrings in ``language`` (its comments are part of its code)."""
    source = solution.read_text(encoding="utf-8")
    if language == ENGLISH:
        return source
    texts = texts_path(solution, language)
    return translated(source, texts.read_text(encoding="utf-8"), str(texts), comments=False)


def write_stubs(solutions: Path, exercises: Path, only: Sequence[str] = (), language: str = ENGLISH) -> list[Path]:
    """Regenerate the stubs (of ``only`` these exercise ids, if given) in ``language``; returns the files
    that changed."""
    changed = []
    exercises.mkdir(exist_ok=True)
    for solution in sorted(solutions.glob("ex[0-9][0-9]_*.py")):
        if only and solution.stem not in only:
            continue
        target = exercises / solution.name
        stub = stub_for(solution, language)
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
