"""The translation catalogs, kept with Babel: ``make messages`` (``python -m graders.translations``)
extracts every message of graders/ into the template ``graders/locales/forwardpass.pot``, updates each
language's ``.po`` from it (a changed message comes back fuzzy, a new one empty, for a translator to
finish) and compiles the ``.mo`` files gettext reads.

The compiled catalogs are committed, so that a clone and the student kit need no step of their own;
tests/test_translations.py fails when the template, a translation or a compiled catalog is behind.
Running it twice changes nothing: the files carry no dates or line numbers of their own.
"""

from __future__ import annotations

import ast
import io
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract as extract_file
from babel.messages.extract import extract_from_dir, extract_python
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from babel.util import pathmatch

from graders.i18n import DOMAIN, ENGLISH, LANGUAGES, LOCALES

SOURCES = Path(__file__).parent
TEMPLATE = LOCALES / f"{DOMAIN}.pot"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
COMMENT_TAGS = ("Translators:",)
# Specs hold, besides messages, their checks' titles; the first pattern a file matches decides.
METHODS = [("exercises/**.py", "graders.translations:extract_spec"), ("**.py", "python")]


def extract_spec(
    fileobj: io.BufferedReader, keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """A Babel extraction method for grader specs: their messages, and each check's title where it is
    the first line of the check's docstring (``Exercise.check``)."""
    source = fileobj.read()
    yield from extract_python(io.BytesIO(source), keywords, comment_tags, options)
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef) and any(declares_check(d) for d in node.decorator_list):
            docstring = ast.get_docstring(node)
            if docstring:
                yield node.lineno, None, docstring.strip().splitlines()[0], ["The title of a check."]


def declares_check(decorator: ast.expr) -> bool:
    """``@exercise.check(...)`` without a ``title=``, which is marked with ``N_`` where it is given."""
    return (
        isinstance(decorator, ast.Call)
        and isinstance(decorator.func, ast.Attribute)
        and decorator.func.attr == "check"
        and not any(keyword.arg == "title" for keyword in decorator.keywords)
    )


def extract() -> Catalog:
    """Every message of graders/ as a template, in the order the files and their lines give."""
    template = Catalog(project="forwardpass", charset="utf-8")
    found = extract_from_dir(SOURCES, METHODS, keywords=KEYWORDS, comment_tags=COMMENT_TAGS, strip_comment_tags=True)
    for filename, lineno, message, comments, context in found:
        location = (f"{SOURCES.name}/{filename}", lineno)
        template.add(message, None, [location], auto_comments=comments, context=context)
    return template


def po_path(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: str) -> Path:
    return po_path(language).with_suffix(".mo")


def translated_languages() -> tuple[str, ...]:
    return tuple(language for language in LANGUAGES if language != ENGLISH)


def read(path: Path) -> Catalog:
    with path.open("rb") as file:
        return read_po(file)


def text_of(catalog: Catalog, template: bool = False) -> bytes:
    """A catalog as a file: locations without line numbers, which every edit above them would change,
    and a template without a header, whose creation date every extraction would change."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, omit_header=template, ignore_obsolete=True, include_lineno=False)
    return buffer.getvalue()


def updated(template: Catalog, language: str) -> Catalog:
    """``language``'s catalog, with the template's messages: new ones untranslated, changed ones fuzzy."""
    path = po_path(language)
    catalog = read(path) if path.exists() else Catalog(locale=language, project="forwardpass", fuzzy=False)
    catalog.update(template, update_creation_date=False)
    return catalog


def compiled(language: str, only: Collection[str] | None = None) -> bytes:
    """The ``.mo`` file of ``language``'s ``.po``, fuzzy translations left out; with ``only``, just the
    messages it names (a copy that holds part of forwardpass holds the translations of that part alone)."""
    catalog = read(po_path(language))
    if only is not None:
        for message in list(catalog):
            if message.id and (message.id[0] if isinstance(message.id, tuple) else message.id) not in only:
                catalog.delete(message.id, message.context)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def message_ids(sources: Mapping[str, bytes]) -> set[str]:
    """The messages of some of graders/'s files (by their path inside graders/), as ``extract`` finds them."""
    found = set()
    for name, source in sources.items():
        method = next(method for pattern, method in METHODS if pathmatch(pattern, name))
        for _lineno, message, _comments, _context in extract_file(method, io.BytesIO(source), KEYWORDS, COMMENT_TAGS):
            found.add(message[0] if isinstance(message, tuple) else message)
    return found


def write_if_changed(path: Path, content: bytes) -> bool:
    if path.exists() and path.read_bytes() == content:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return True


def unfinished(catalog: Catalog) -> tuple[int, int]:
    """How many messages are fuzzy, and how many untranslated."""
    messages = [message for message in catalog if message.id]
    fuzzy = sum(message.fuzzy for message in messages)
    empty = sum(
        not all(message.string) if isinstance(message.string, tuple) else not message.string for message in messages
    )
    return fuzzy, empty


def main() -> int:
    template = extract()
    changed = [TEMPLATE] if write_if_changed(TEMPLATE, text_of(template, template=True)) else []
    print(f"{len(template)} messages in {TEMPLATE.relative_to(SOURCES.parent)}")
    for language in translated_languages():
        catalog = updated(template, language)
        if write_if_changed(po_path(language), text_of(catalog)):
            changed.append(po_path(language))
        if write_if_changed(mo_path(language), compiled(language)):
            changed.append(mo_path(language))
        fuzzy, empty = unfinished(catalog)
        print(f"{language}: {fuzzy} fuzzy and {empty} untranslated messages")
    for path in changed:
        print(f"wrote {path.relative_to(SOURCES.parent)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
