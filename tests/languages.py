"""What the tests of translated text share: a message's placeholders and code spans, and a pseudo-locale
built from the template, in which every message is marked, so that text which bypassed the catalog
shows as unmarked."""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from graders import translations
from graders.i18n import DOMAIN

# A named placeholder, with any conversion or format spec; not a doubled brace.
PLACEHOLDER = re.compile(r"(?<!\{)\{([a-zA-Z_][a-zA-Z0-9_]*)(?:[!:][^{}]*)?\}(?!\})")
# A placeholder without a name, which a translation could not move: {} or {0}.
POSITIONAL = re.compile(r"(?<!\{)\{\d*(?:[!:][^{}]*)?\}(?!\})")
CODE = re.compile(r"``.+?``|`[^`]+`")
OPEN, CLOSE = "⟦", "⟧"


def placeholders(text: str) -> Counter[str]:
    return Counter(PLACEHOLDER.findall(text))


def code_spans(text: str) -> Counter[str]:
    return Counter(CODE.findall(text))


def catalogs_saying(folder: Path, language: str, say: Callable[[str], str]) -> Path:
    """A folder of catalogs in which ``language`` says every message of the template as ``say`` makes
    it; returns the folder, for ``i18n.use``, ``i18n.speaking`` or ``FORWARDPASS_LOCALES``."""
    catalog = Catalog(fuzzy=False)  # English's plural rule, so that each form keeps its own words
    for message in translations.read(translations.TEMPLATE):
        if message.id:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            said = tuple(say(text) for text in ids)
            catalog.add(message.id, said if message.pluralizable else said[0])
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    target = folder / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(buffer.getvalue())
    return folder


def pseudo_catalogs(folder: Path, language: str = "ko") -> Path:
    """Catalogs in which ``language`` says every message as ``⟦message⟧``, placeholders and all kept."""
    return catalogs_saying(folder, language, lambda text: f"{OPEN}{text}{CLOSE}")


def identity_catalogs(folder: Path) -> Path:
    """Catalogs in which English says every message as it is written."""
    return catalogs_saying(folder, "en", lambda text: text)
