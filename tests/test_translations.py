"""The catalogs are complete and current: every message of the code is in the template, every language
translates each one with the same placeholders and code, and the committed ``.mo`` files are what the
``.po`` files compile to. A failure here is fixed by ``make messages`` and a translator's hand."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.catalog import Message

from graders import translations
from tests.languages import POSITIONAL, code_spans, placeholders

LANGUAGES = translations.translated_languages()
MARKERS = {"_", "N_", "ngettext"}
MAKE_MESSAGES = "run `make messages` and commit graders/locales/"


def ids(catalog) -> set:
    return {message.id for message in catalog if message.id}


def forms(message: Message) -> tuple[tuple[str, str], ...]:
    """(English, translation) for each form of ``message``: each plural form against the English plural."""
    english = message.id if isinstance(message.id, tuple) else (message.id,)
    translated = message.string if isinstance(message.string, tuple) else (message.string,)
    return tuple((english[min(index, len(english) - 1)], text or "") for index, text in enumerate(translated))


@pytest.fixture(scope="module")
def template():
    return translations.read(translations.TEMPLATE)


def test_the_template_holds_exactly_the_messages_of_the_code(template) -> None:
    extracted = ids(translations.extract())
    assert not extracted - ids(template), f"messages missing from the template: {MAKE_MESSAGES}"
    assert not ids(template) - extracted, f"the template holds messages the code no longer has: {MAKE_MESSAGES}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_has_exactly_the_templates_messages(template, language: str) -> None:
    catalog = translations.read(translations.po_path(language))
    assert ids(catalog) == ids(template), f"{language}'s catalog is behind the template: {MAKE_MESSAGES}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalog_is_the_translation(language: str) -> None:
    assert translations.mo_path(language).read_bytes() == translations.compiled(language), (
        f"graders/locales/{language}'s .mo is not its .po compiled: {MAKE_MESSAGES}"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_with_the_same_placeholders_and_code(language: str) -> None:
    problems = []
    for message in translations.read(translations.po_path(language)):
        if not message.id:
            continue
        if message.fuzzy:
            problems.append(f"fuzzy (check it, then remove the flag): {message.id!r}")
        for english, translated in forms(message):
            if not translated.strip():
                problems.append(f"untranslated: {english!r}")
            elif placeholders(english) != placeholders(translated):
                problems.append(f"placeholders differ: {english!r} -> {translated!r}")
            elif code_spans(english) != code_spans(translated):
                problems.append(f"code spans differ: {english!r} -> {translated!r}")
    assert not problems, f"{len(problems)} messages of {language}:\n" + "\n".join(problems[:40])


def test_no_message_has_a_placeholder_without_a_name(template) -> None:
    positional = [
        text for message in template if message.id for text in forms(message)[0][:1] if POSITIONAL.search(text)
    ]
    assert not positional, f"name every placeholder, so that a translation may move it: {positional}"


def marker_calls(tree: ast.AST) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MARKERS
    ]


def run_on_import(scope: ast.Module | ast.ClassDef) -> list[ast.AST]:
    """The statements of a module or class body that run when it is imported, classes' bodies included."""
    found = []
    for statement in scope.body:
        if isinstance(statement, ast.ClassDef):
            found += [*statement.decorator_list, *run_on_import(statement)]
        elif isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
            found += [*statement.decorator_list, *statement.args.defaults, *statement.args.kw_defaults]
        else:
            found.append(statement)
    return [node for node in found if node is not None]


def sources() -> list[Path]:
    return sorted(path for path in translations.SOURCES.rglob("*.py") if "__pycache__" not in path.parts)


@pytest.mark.parametrize("path", sources(), ids=lambda path: path.relative_to(translations.SOURCES).as_posix())
def test_messages_are_text_the_catalog_can_hold_and_are_translated_when_used(path: Path) -> None:
    """No f-string or formatted text inside ``_()``: the catalog holds the text before its values; no
    ``_()`` inside an f-string, where extraction does not look; ``N_()`` marks literal text only; and ``_()``
    runs when a message is shown, never when a module is imported, which is before any language is chosen."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    problems = []
    for call in marker_calls(tree):
        for argument in call.args:
            for node in ast.walk(argument):
                if isinstance(node, ast.JoinedStr):
                    problems.append(f"line {call.lineno}: an f-string inside {call.func.id}()")
                elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
                    problems.append(f"line {call.lineno}: text formatted before {call.func.id}() translates it")
        texts = call.args[:2] if call.func.id == "ngettext" else call.args
        literal = all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in texts)
        if call.func.id in ("N_", "ngettext") and not literal:
            problems.append(f"line {call.lineno}: {call.func.id}() of something other than literal text")
    for text in (node for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)):
        problems += [
            f"line {call.lineno}: {call.func.id}() inside an f-string, where Babel cannot find it"
            for call in marker_calls(text)
        ]
    for statement in run_on_import(tree):
        problems += [
            f"line {call.lineno}: {call.func.id}() when the module is imported"
            for call in marker_calls(statement)
            if call.func.id != "N_"
        ]
    assert not problems, "\n".join(problems)
