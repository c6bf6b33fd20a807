"""What a student reads, in their language: gettext catalogs under ``graders/locales/``.

Messages are written in English inside ``_()``, with named placeholders filled afterwards, so that a
translation may put the words in its own order::

    _("Your {layer} has {yours} output channels; the reference's has {reference}.").format(
        layer="conv2", yours=10, reference=20
    )

The language is chosen once per command (``use``); without a catalog for it, English is shown.
"""

from __future__ import annotations

import gettext
from pathlib import Path

DOMAIN = "forwardpass"
LOCALES = Path(__file__).parent / "locales"
ENGLISH = "en"

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = ENGLISH


def use(language: str) -> None:
    """Show every message from now on in ``language`` (``"en"``, ``"ko"``)."""
    global _translation, _language
    _language = language
    _translation = gettext.translation(DOMAIN, LOCALES, languages=[language], fallback=True)


def language() -> str:
    return _language


def _(message: str) -> str:
    """``message`` in the active language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def N_(message: str) -> str:  # gettext's name for it, which extraction tools know
    """Marks text for translation where it is defined (a constant, built before any language is
    chosen); ``_()`` translates it where it is used."""
    return message
