"""A copy as a student who copied would hand it in: names renamed, functions reordered, comments gone."""

from __future__ import annotations

import ast


class Renamer(ast.NodeTransformer):
    """Every name the file binds (variables, arguments, functions, classes, attributes set on self)
    renamed, and every run of definitions in reverse order."""

    def __init__(self, tree: ast.Module):
        bound = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                bound.add(node.id)
            elif isinstance(node, ast.arg):
                bound.add(node.arg)
            elif isinstance(node, ast.FunctionDef | ast.ClassDef):
                bound.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                bound.add(node.attr)
        self.names = {name: f"renamed_{index}" for index, name in enumerate(sorted(bound - {"self"}))}

    def generic_visit(self, node: ast.AST) -> ast.AST:
        super().generic_visit(node)
        for field in ("id", "arg", "name", "attr"):
            if isinstance(getattr(node, field, None), str) and getattr(node, field) in self.names:
                setattr(node, field, self.names[getattr(node, field)])
        if isinstance(getattr(node, "body", None), list):
            definitions = [n for n in node.body if isinstance(n, ast.FunctionDef | ast.ClassDef)]
            others = [n for n in node.body if n not in definitions]
            node.body = others + definitions[::-1]
        return node


def disguise(source: str) -> str:
    """``source`` as a student who copied it would hand it in: names renamed, functions reordered,
    comments gone and the layout redone."""
    tree = ast.parse(source)
    return ast.unparse(Renamer(tree).visit(tree))
