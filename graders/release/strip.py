"""A grader spec without its hidden parts, for copies of forwardpass that students get.

The cuts are made on the spec's own text, by line and byte ranges that ``ast`` gives, so what
remains keeps its comments and layout:

1. the checks registered with ``hidden=True`` (decorated functions, and ``exercise.check(...,
   hidden=True)(...)`` statements), with the comment lines just above them;
2. the probe's ``if p.hidden:`` blocks;
3. hidden checks' ids in the checks that hints and claims name;
4. then every module-level function, class, constant (one name or several assigned at once, with
   the statements that change it) or imported name that only the removed code reached, directly or
   through other such names (never a decorated one: its decorator registers it).

The result is checked: it compiles, registers no hidden check, reads no ``.hidden``, and reads no
name that the cuts removed. ``keep_hints`` cuts the hints a course's hint policy does not hand out,
the same way.
"""

from __future__ import annotations

import ast
import builtins
import json
import re
import symtable
from collections.abc import Collection
from dataclasses import dataclass
from itertools import pairwise

HIDDEN_FLAG = "hidden"


class StripError(ValueError):
    """A spec whose hidden parts cannot be cut out mechanically; the message says where."""


@dataclass(frozen=True)
class Edit:
    """Replace the bytes [start, end) of the source with ``text``."""

    start: int
    end: int
    text: bytes = b""


class Source:
    """A module's text as bytes (``ast`` positions count UTF-8 bytes), with its syntax tree."""

    def __init__(self, text: str, name: str):
        self.name = name
        self.data = text.encode()
        self.tree = ast.parse(self.data, name)
        self.starts = [0]
        for line in self.data.splitlines(keepends=True):
            self.starts.append(self.starts[-1] + len(line))

    def offset(self, line: int, column: int) -> int:
        return self.starts[line - 1] + column

    def node_range(self, node: ast.AST) -> tuple[int, int]:
        return self.offset(node.lineno, node.col_offset), self.offset(node.end_lineno, node.end_col_offset)

    def line_text(self, line: int) -> bytes:
        return self.data[self.starts[line - 1] : self.starts[line]]

    def whole_lines(self, node: ast.stmt, with_comments: bool = True) -> Edit:
        """The lines of a statement (decorators included), and the comment lines right above it."""
        first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", ()))])
        while with_comments and first > 1 and self.line_text(first - 1).lstrip().startswith(b"#"):
            first -= 1
        return Edit(self.starts[first - 1], self.starts[node.end_lineno])

    def apply(self, edits: list[Edit]) -> str:
        data = self.data
        ordered = sorted(set(edits), key=lambda e: (e.start, e.end))
        for before, after in pairwise(ordered):
            if after.start < before.end:
                raise StripError(f"{self.name}: overlapping cuts at bytes {before.start} and {after.start}")
        for edit in reversed(ordered):
            data = data[: edit.start] + edit.text + data[edit.end :]
        return re.sub(rb"\n{4,}", b"\n\n\n", data).decode()


# -- what is hidden ------------------------------------------------------------------------------


def is_true_flag(call: ast.Call) -> bool:
    flags = (k.value for k in call.keywords if k.arg == HIDDEN_FLAG)
    return any(isinstance(flag, ast.Constant) and flag.value is True for flag in flags)


def hidden_registration(call: ast.expr) -> ast.Call | None:
    """``exercise.check(..., hidden=True)``, the call that registers a hidden check."""
    if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "check":
        return call if is_true_flag(call) else None
    return None


def keyword(call: ast.Call, name: str) -> str | None:
    value = next((k.value for k in call.keywords if k.arg == name), None)
    return value.value if isinstance(value, ast.Constant) and isinstance(value.value, str) else None


def hidden_checks(tree: ast.Module) -> dict[ast.stmt, str]:
    """Each module-level statement that registers a hidden check, with the check's id."""
    found = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                call = hidden_registration(decorator)
                if call is not None:
                    found[node] = keyword(call, "id") or node.name
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            call = hidden_registration(node.value.func)
            if call is not None:
                check_id = keyword(call, "id")
                if check_id is None:
                    raise StripError(f"line {node.lineno}: a hidden check registered without id=...")
                found[node] = check_id
    return found


def is_hidden_test(test: ast.expr) -> bool:
    return isinstance(test, ast.Attribute) and test.attr == HIDDEN_FLAG and isinstance(test.value, ast.Name)


def hidden_blocks(tree: ast.Module) -> list[tuple[ast.If, list[ast.stmt]]]:
    """The probe's ``if p.hidden:`` statements, each with the body it sits in."""
    found = []
    for parent in ast.walk(tree):
        for field in ("body", "orelse", "finalbody"):
            body = getattr(parent, field, None)
            if not isinstance(body, list):
                continue
            for node in body:
                if isinstance(node, ast.If) and is_hidden_test(node.test):
                    if node.orelse:
                        raise StripError(f"line {node.lineno}: `if p.hidden:` with an else branch")
                    found.append((node, body))
    return found


# -- the cuts ------------------------------------------------------------------------------------


def sequence_text(values: list[str], brackets: str) -> bytes:
    inner = ", ".join(json.dumps(v) for v in values)
    comma = "," if len(values) == 1 and brackets == "()" else ""
    return f"{brackets[0]}{inner}{comma}{brackets[1]}".encode()


def hint_edits(source: Source, hidden_ids: set[str]) -> list[Edit]:
    """The checks named by hints (``Hint(..., checks=(...))``) and claims (``Claim(text, (...))``)
    without the hidden checks' ids."""
    edits = []
    for node in ast.walk(source.tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("Hint", "Claim")):
            continue
        named = [k.value for k in node.keywords if k.arg == "checks"]
        if node.func.id == "Claim" and len(node.args) > 1:
            named.append(node.args[1])
        for value in named:
            if not isinstance(value, ast.Tuple | ast.List):
                raise StripError(f"line {value.lineno}: a {node.func.id}'s checks must be a tuple or list")
            names = [e.value for e in value.elts if isinstance(e, ast.Constant)]
            if len(names) != len(value.elts):
                raise StripError(f"line {value.lineno}: a {node.func.id}'s checks must be plain strings")
            if hidden_ids & set(names):
                brackets = "()" if isinstance(value, ast.Tuple) else "[]"
                kept = [n for n in names if n not in hidden_ids]
                edits.append(Edit(*source.node_range(value), sequence_text(kept, brackets)))
    return edits


def cut_hidden(source: Source) -> tuple[list[Edit], set[str]]:
    """Edits that remove the hidden checks, blocks and hint ids; and the hidden checks' ids."""
    checks = hidden_checks(source.tree)
    edits = [source.whole_lines(node) for node in checks]
    for block, body in hidden_blocks(source.tree):
        if len(body) == 1:  # the block was all there was: keep the body valid
            lines = source.whole_lines(block, with_comments=False)
            indent = source.line_text(block.lineno)[: block.col_offset]
            edits.append(Edit(lines.start, lines.end, indent + b"pass\n"))
        else:
            edits.append(source.whole_lines(block, with_comments=False))
    hidden_ids = set(checks.values())
    edits += hint_edits(source, hidden_ids)
    return edits, hidden_ids


def loaded_names(node: ast.AST) -> set[str]:
    """Every name read in ``node``."""
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def target_names(target: ast.expr) -> list[str] | None:
    """The module-level names an assignment to ``target`` binds or changes: ``A``, ``A, B``, ``*rest``,
    ``A[key]`` or ``A.field`` (a change to A); None for a target of any other kind."""
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Starred):
        return target_names(target.value)
    if isinstance(target, ast.Tuple | ast.List):
        parts = [target_names(element) for element in target.elts]
        return None if any(part is None for part in parts) else [name for part in parts for name in part]
    if isinstance(target, ast.Subscript | ast.Attribute) and isinstance(target.value, ast.Name):
        return [target.value.id]
    return None


def defined_names(node: ast.stmt) -> list[str]:
    """The names a module-level statement defines, or changes and so belongs to: a function or class, an
    assignment of one name or several, an augmented one, one to an item or attribute of a name. Empty
    for any other statement, which stays as it is."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return [node.name]
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, ast.AugAssign | ast.AnnAssign):
        targets = [node.target]
    else:
        return []
    names = [target_names(target) for target in targets]
    return [] if any(part is None for part in names) else [name for part in names for name in part]


def removable(node: ast.stmt, wanted: set[str]) -> list[str]:
    """The names ``node`` defines if it is a definition the cuts may remove: not an import (imports are
    cut name by name), not decorated (a decorator registers it), and only of names some code read before
    the cuts (``wanted``); else nothing."""
    if isinstance(node, ast.Import | ast.ImportFrom) or getattr(node, "decorator_list", None):
        return []
    names = defined_names(node)
    return names if all(name in wanted for name in names) else []


def reachable(tree: ast.Module, wanted: set[str]) -> set[str]:
    """The module-level names that the statements which stay read, directly or through the definitions
    they reach. What stays: every statement that defines no name (calls, checks registered by
    decorators, ``if`` blocks), and every definition of a name no code read before the cuts
    (not in ``wanted``): the module's public names."""
    definers: dict[str, list[ast.stmt]] = {}
    pending: list[str] = []
    for node in tree.body:
        names = removable(node, wanted)
        for name in names:
            definers.setdefault(name, []).append(node)
        if not names:
            pending.extend(loaded_names(node))
    found: set[str] = set()
    while pending:
        name = pending.pop()
        if name not in found:
            found.add(name)
            for node in definers.get(name, ()):
                pending.extend(loaded_names(node))
    return found


def import_text(node: ast.ImportFrom | ast.Import, kept: list[ast.alias], multiline: bool) -> str:
    names = [f"{a.name} as {a.asname}" if a.asname else a.name for a in kept]
    if isinstance(node, ast.Import):
        return f"import {', '.join(names)}\n"
    module = "." * node.level + (node.module or "")
    if multiline:
        return f"from {module} import (\n" + "".join(f"    {n},\n" for n in names) + ")\n"
    return f"from {module} import {', '.join(names)}\n"


def unused_edits(source: Source, wanted: set[str]) -> list[Edit]:
    """Edits that remove the module-level definitions and imports the code needed before the cuts
    (``wanted``) and needs no longer: those no statement that stays reaches (see ``reachable``)."""
    edits = []
    needed = reachable(source.tree, wanted)
    for node in source.tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            if isinstance(node, ast.ImportFrom) and node.module == "__future__":
                continue
            bound = [(a, (a.asname or a.name).split(".")[0]) for a in node.names]
            kept = [a for a, name in bound if name not in wanted or name in needed]
            if len(kept) == len(bound):
                continue
            lines = source.whole_lines(node, with_comments=False)
            multiline = node.end_lineno > node.lineno
            text = import_text(node, kept, multiline) if kept else ""
            edits.append(Edit(lines.start, lines.end, text.encode()))
            continue
        names = removable(node, wanted)
        if names and not any(name in needed for name in names):
            edits.append(source.whole_lines(node))
    return edits


def unbound_names(text: str, name: str) -> list[str]:
    """Names the module's code reads from its global scope that nothing in it binds and Python does not
    provide: what a cut removed while code that stays still reads it."""
    table = symtable.symtable(text, name, "exec")
    bound = {symbol.get_name() for symbol in table.get_symbols() if symbol.is_assigned() or symbol.is_imported()}
    provided = bound | set(dir(builtins)) | {"__name__", "__file__", "__doc__", "__spec__", "__package__"}
    found: set[str] = set()
    tables = [table]
    while tables:
        scope = tables.pop()
        tables.extend(scope.get_children())
        for symbol in scope.get_symbols():
            reads_global = scope is table or symbol.is_global()
            if reads_global and symbol.is_referenced() and symbol.get_name() not in provided:
                found.add(symbol.get_name())
    return sorted(found)


def verify(text: str, name: str) -> None:
    tree = ast.parse(text, name)
    compile(tree, name, "exec")
    if hidden_checks(tree):
        raise StripError(f"{name}: a hidden check is still registered")
    unbound = unbound_names(text, name)
    if unbound:
        raise StripError(f"{name}: what stays reads {', '.join(unbound)}, which the cuts removed")
    for node in ast.walk(tree):
        if is_hidden_test(node):
            raise StripError(f"{name}: line {node.lineno} still reads `.{HIDDEN_FLAG}`")


def hints_tuple(tree: ast.Module) -> ast.Tuple | None:
    """The ``hints=(...)`` of the spec's ``Exercise(...)``; None for a spec without hints."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Exercise":
            value = next((k.value for k in node.keywords if k.arg == "hints"), None)
            if value is None:
                return None
            if not isinstance(value, ast.Tuple):
                raise StripError(f"line {value.lineno}: the exercise's hints must be a tuple written in place")
            return value
    return None


def keep_hints(text: str, kept: Collection[int], name: str = "<spec>") -> str:
    """The spec with only the hints at the indices ``kept`` (a course's hint policy, graders/policy.py)."""
    source = Source(text, name)
    found = hints_tuple(source.tree)
    if found is None or len(kept) == len(found.elts):
        return text
    start, end = source.node_range(found)
    if not kept:
        return source.apply([Edit(start, end, b"()")])
    indent = b" " * found.elts[0].col_offset
    closing = b" " * max(found.elts[0].col_offset - 4, 0)
    parts = [source.data[slice(*source.node_range(hint))] for index, hint in enumerate(found.elts) if index in kept]
    body = b"".join(indent + part + b",\n" for part in parts)
    text = source.apply([Edit(start, end, b"(\n" + body + closing + b")")])
    compile(text, name, "exec")
    return text


def strip_hidden(text: str, name: str = "<spec>") -> tuple[str, set[str]]:
    """The spec without its hidden parts, and the ids of the checks removed."""
    source = Source(text, name)
    wanted = loaded_names(source.tree)
    edits, hidden_ids = cut_hidden(source)
    source = Source(source.apply(edits), name)
    text = source.apply(unused_edits(source, wanted))
    verify(text, name)
    return text, hidden_ids
