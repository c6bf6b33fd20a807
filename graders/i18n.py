"""What a student reads, in their language: gettext catalogs under ``graders/locales/``.

Messages are written in English inside ``_()``, with named placeholders filled afterwards, so that a
translation may put the words in its own order::

    _("Your {layer} has {yours} output channels; the reference's has {reference}.").format(
        layer="conv2", yours=10, reference=20
    )

A command chooses its language once (``choose``, then ``use``); a service that answers requests in
several languages speaks each request's own (``speaking``), which holds for the current thread or
task alone. Without a catalog for a language, English is shown. ``make messages`` extracts the
messages into ``graders/locales/forwardpass.pot`` and compiles the catalogs (``graders/catalogs.py``).
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DOMAIN = "forwardpass"
LOCALES = Path(__file__).parent / "locales"
ENGLISH = "en"
LANGUAGES = (ENGLISH, "ko")
# The variables that name the locale, the first one set deciding, as POSIX reads them for messages.
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


@dataclass(frozen=True)
class Speech:
    """A language and the folder of catalogs it is read from (tests point it at a pseudo-locale)."""

    language: str = ENGLISH
    catalogs: Path = LOCALES

    @property
    def translation(self) -> gettext.NullTranslations:
        return translation(self.language, self.catalogs)


_default = Speech()
_current: ContextVar[Speech | None] = ContextVar("forwardpass_speech", default=None)


@cache
def translation(language: str, catalogs: Path = LOCALES) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, catalogs, languages=[language], fallback=True)


def language_code(text: str) -> str | None:
    """The language a ``--lang`` value or a locale names (``ko``, ``ko_KR.UTF-8``, ``KO``), if forwardpass
    speaks it."""
    code = text.strip().split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    return code if code in LANGUAGES else None


def choose(flag: str | None, environ: Mapping[str, str], course: str | None = None) -> str:
    """The language a command speaks: ``--lang``, else ``FORWARDPASS_LANG``, else the course's setting,
    else the locale's (``LC_ALL``, then ``LC_MESSAGES``, then ``LANG``) where forwardpass speaks it,
    else English. The first three are asked for by name, so a language forwardpass does not speak is
    an error (ValueError); a locale is only a preference."""
    for source, value in (("--lang", flag), ("FORWARDPASS_LANG", environ.get("FORWARDPASS_LANG")), ("course", course)):
        if value:
            code = language_code(value)
            if code is None:
                raise ValueError(f"{source} names {value!r}; forwardpass speaks {', '.join(LANGUAGES)}")
            return code
    locale = next((environ[name] for name in LOCALE_VARIABLES if environ.get(name)), "")
    return language_code(locale) or ENGLISH


def catalogs_in(environ: Mapping[str, str]) -> Path:
    """The folder of catalogs: ``FORWARDPASS_LOCALES`` (a test's pseudo-locale), else forwardpass's own."""
    return Path(environ["FORWARDPASS_LOCALES"]) if environ.get("FORWARDPASS_LOCALES") else LOCALES


def use(language: str, catalogs: Path = LOCALES) -> None:
    """Show every message from now on in ``language`` (``"en"``, ``"ko"``), wherever no ``speaking``
    says otherwise."""
    global _default
    _default = Speech(language, Path(catalogs))


@contextmanager
def speaking(language: str, catalogs: Path = LOCALES) -> Iterator[None]:
    """Messages in ``language`` inside the block, in this thread or task only: what a service that
    answers each request in its own language needs."""
    token = _current.set(Speech(language, Path(catalogs)))
    try:
        yield
    finally:
        _current.reset(token)


def speech() -> Speech:
    """The language spoken here, and its catalogs: what a request to another process carries along."""
    return _current.get() or _default


def language() -> str:
    return speech().language


def _(message: str) -> str:
    """``message`` in the active language."""
    return speech().translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return speech().translation.ngettext(singular, plural, n)


def N_(message: str) -> str:  # gettext's name for it, which extraction tools know
    """Marks text for translation where it is defined (a constant, built before any language is
    chosen); ``_()`` translates it where it is used."""
    return message


class Phrase:
    """Text with its values, marked where it is defined (``Phrase(N_("{call} on a hidden batch"), call=...)``)
    and said in the language of wherever it is shown: ``str()`` and ``format()`` translate it then. For
    constants that a module builds once from values, such as a description of what a check called."""

    def __init__(self, message: str, **values: object):
        self.message = message
        self.values = values

    def __str__(self) -> str:
        return _(self.message).format(**{name: str(value) for name, value in self.values.items()})

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __repr__(self) -> str:
        return f"Phrase({self.message!r}, **{self.values!r})"
