"""What the tests of translated text share: a message's placeholders and code spans, and a pseudo-locale
built from the template, in which every message is marked, so that text which bypassed the catalog
shows as unmarked."""

from __future__ import annotations

import io
import re
from collections import Counter
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


def pseudo_catalogs(folder: Path, language: str = "ko") -> Path:
    """A folder of catalogs in which ``language`` says every message of the template as ``⟦message⟧``
    (placeholders and all kept); returns the folder, for ``i18n.use`` or ``FORWARDPASS_LOCALES``."""
    pseudo = Catalog(fuzzy=False)  # English's plural rule, so that each form keeps its own words
    for message in translations.read(translations.TEMPLATE):
        if message.id:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            marked = tuple(f"{OPEN}{text}{CLOSE}" for text in ids)
            pseudo.add(message.id, marked if message.pluralizable else marked[0])
    buffer = io.BytesIO()
    write_mo(buffer, pseudo)
    target = folder / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(buffer.getvalue())
    return folder
