"""solutions/ is the single source: exercises/ must be exactly what `make stubs` generates."""

from __future__ import annotations

import ast
import copy
import io
import tokenize

import pytest

from graders import registry
from graders.explain import unfinished_function
from graders.i18n import ENGLISH, LANGUAGES
from graders.stubs import StubError, definitions, docstrings, make_stub, stale_stubs, stub_for, texts_path, translated

SOLUTION = '''"""The assignment."""

import torch


class Model(torch.nn.Module):
    """Keep me."""

    def __init__(self, size: int):
        ### BEGIN SOLUTION
        super().__init__()
        self.size = size
        ### END SOLUTION

    def forward(self, x):
        """And me."""
        ### BEGIN SOLUTION
        return x * self.size
        ### END SOLUTION


def helper(x):
    def inner():
        ### BEGIN SOLUTION
        return x
        ### END SOLUTION

    return inner
'''


def test_exercises_are_generated_from_solutions() -> None:
    stale = stale_stubs(registry.SOLUTIONS, registry.EXERCISES)
    assert not stale, (
        f"{', '.join(str(p.relative_to(registry.ROOT)) for p in stale)} differ from what solutions/ generates: "
        "run `make stubs` and commit the result (authors only; it overwrites exercises/)."
    )


def test_every_exercise_has_a_solution_and_a_stub() -> None:
    for exercise_id in registry.ids():
        exercise = registry.get(exercise_id)
        assert registry.solution_path(exercise).exists(), f"{exercise_id} has no solution in solutions/"
        assert registry.stub_path(exercise).exists(), f"{exercise_id} has no stub in exercises/: run `make stubs`"


def test_regions_become_not_implemented_and_the_rest_stays() -> None:
    stub = make_stub(SOLUTION)
    assert 'raise NotImplementedError("Model.__init__ is not implemented yet")' in stub
    assert 'raise NotImplementedError("Model.forward is not implemented yet")' in stub
    assert 'raise NotImplementedError("helper.<locals>.inner is not implemented yet")' in stub
    assert "self.size = size" not in stub and "return x * self.size" not in stub
    assert "SOLUTION" not in stub
    for kept in ('"""The assignment."""', "def __init__(self, size: int):", '"""Keep me."""', '"""And me."""'):
        assert kept in stub
    ast.parse(stub)


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("x = 1\n### BEGIN SOLUTION\ny = 2\n### END SOLUTION\n", "inside a function"),
        ("def f():\n    ### BEGIN SOLUTION\n    return 1\n", "matching"),
        ("def f():\n    return 1\n    ### END SOLUTION\n", "without a"),
    ],
)
def test_malformed_regions_are_reported_to_the_author(source: str, problem: str) -> None:
    with pytest.raises(StubError, match=problem):
        make_stub(source)


KOREAN = '''"""과제."""

import torch


# 번역하지 않은 주석입니다.
class Model(torch.nn.Module):
    """저를 남겨 두십시오 — 한 줄입니다."""

    def __init__(self, size: int): ...

    def forward(self, x):
        """저도 남겨 두십시오.

        두 번째 줄입니다.
        """


def helper(x): ...
'''


def test_a_translated_stub_takes_the_docstrings_and_comment_lines_of_its_skeleton() -> None:
    english = make_stub(SOLUTION.replace("\nclass Model", "\n# A comment of the assignment.\nclass Model"))
    korean = translated(english, KOREAN)
    assert '"""과제."""' in korean and '"""저를 남겨 두십시오 — 한 줄입니다."""' in korean
    assert "        두 번째 줄입니다.\n" in korean and "# 번역하지 않은 주석입니다.\n" in korean
    assert "Keep me" not in korean and "A comment of the assignment" not in korean
    assert code_lines(korean) == code_lines(english)


@pytest.mark.parametrize(
    ("skeleton", "problem"),
    [
        (KOREAN.replace('    """저를 남겨 두십시오 — 한 줄입니다."""\n\n', ""), r"missing \['Model'\]"),
        (KOREAN.replace("def helper(x): ...", 'def helper(x):\n    """도움."""'), r"extra \['helper'\]"),
        (KOREAN.replace("# 번역하지 않은 주석입니다.\n", ""), "1 comment lines, the translation 0"),
    ],
)
def test_a_skeleton_that_documents_other_definitions_or_comments_is_refused(skeleton: str, problem: str) -> None:
    english = make_stub(SOLUTION.replace("\nclass Model", "\n# A comment of the assignment.\nclass Model"))
    with pytest.raises(StubError, match=problem):
        translated(english, skeleton)


def signatures(source: str) -> dict[str, str]:
    """Every documented definition as it is declared (name, arguments, annotations, bases, decorators)."""
    tree = ast.parse(source)
    documented = docstrings(tree)
    return {name: ast.dump(declaration(node)) for name, node in definitions(tree) if name in documented}


def declaration(node: ast.AST) -> ast.AST:
    shell = copy.copy(node)
    shell.body = []
    return shell


def code_lines(source: str) -> list[str]:
    """The lines of ``source`` that hold code, without docstrings, comments and blank lines."""
    documented = docstrings(ast.parse(source)).values()
    in_docstrings = {line for node in documented for line in range(node.lineno, node.end_lineno + 1)}
    comments = {comment.start[0]: comment.start[1] for comment in tokenize_comments(source)}
    lines = []
    for number, line in enumerate(source.splitlines(), 1):
        code = line[: comments.get(number, len(line))].rstrip()
        if number not in in_docstrings and code:
            lines.append(code)
    return lines


def tokenize_comments(source: str) -> list:
    return [t for t in tokenize.generate_tokens(io.StringIO(source).readline) if t.type == tokenize.COMMENT]


def without_docstrings(source: str) -> str:
    tree = ast.parse(source)
    documented = {id(node) for node in docstrings(tree).values()}
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) and id(body[0].value) in documented:
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree)


@pytest.mark.parametrize("language", [language for language in LANGUAGES if language != ENGLISH])
@pytest.mark.parametrize("exercise_id", registry.ids())
def test_each_exercise_is_described_in_every_language_with_the_same_code(language: str, exercise_id: str) -> None:
    solution = registry.solution_path(registry.get(exercise_id))
    texts = texts_path(solution, language)
    assert texts.exists(), f"{exercise_id} has no text in {language}: write {texts.relative_to(registry.ROOT)}"
    english = stub_for(solution)
    assert signatures(texts.read_text(encoding="utf-8")) == signatures(english), (
        f"{texts.relative_to(registry.ROOT)} must document the stub's definitions, with their signatures"
    )
    translated_stub = stub_for(solution, language)
    # The English stub's code, but what its stubs raise said in ``language``.
    same_code = make_stub(solution.read_text(encoding="utf-8"), language=language)
    assert without_docstrings(translated_stub) == without_docstrings(same_code)
    assert code_lines(translated_stub) == code_lines(same_code)
    assert without_raised_text(same_code) == without_raised_text(english)
    assert docstrings(ast.parse(translated_stub)).keys() == docstrings(ast.parse(english)).keys()


def without_raised_text(source: str) -> str:
    """``source``'s AST with what each ``raise NotImplementedError(...)`` says left out."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Raise)
            and isinstance(node.exc, ast.Call)
            and ast.unparse(node.exc.func) == "NotImplementedError"
        ):
            node.exc.args = []
    return ast.dump(tree)


def test_a_stub_raises_in_its_language_and_the_grader_recognises_it_in_every_language() -> None:
    for language in LANGUAGES:
        stub = make_stub(SOLUTION, language=language)
        raised = [node.exc.args[0].value for node in ast.walk(ast.parse(stub)) if isinstance(node, ast.Raise)]
        assert len(raised) == 3 and not any("{" in text for text in raised)
        for text in raised:
            name = unfinished_function({"type": "NotImplementedError", "message": text})
            assert name in ("Model.__init__", "Model.forward", "helper.<locals>.inner"), (language, text)
    korean = make_stub(SOLUTION, language="ko")
    assert "is not implemented yet" not in korean and "아직 구현되지 않았습니다" in korean
