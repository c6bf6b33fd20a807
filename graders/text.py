"""Text that came from a submission, made safe to show anywhere: no control or bidi characters
(which could fake the grader's own lines or rewrite a TA's terminal), no lone surrogates (which no
file or terminal can encode), and a bounded length.

Each output cleans at one place, where its text is written: the terminal's console
(graders/reporters/terminal.py), diagnostics on stderr (``print_diagnostic``), JSON documents
(``clean_json``), the gradebook's cells, Markdown's and HTML's escaping. File and folder names are
made one line of text where they are read (``name_text``).
"""

from __future__ import annotations

import re
import sys
from typing import Any

# C0 and C1 controls except newline and tab, DEL, the Unicode bidirectional controls, and the
# surrogates that a file name which is not UTF-8 decodes to.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# What a name shows as an escape: every control (newlines too), the bidirectional controls, line separators.
_UNPRINTABLE_IN_NAMES = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
DIAGNOSTIC_LIMIT = 16_000  # characters of a message on stderr, its end kept: where a traceback says why


def clean(text: str, limit: int | None = 4000) -> str:
    """``text`` without unsafe characters, cut at ``limit`` characters (None: whole) with a visible mark."""
    text = _UNSAFE.sub("\N{REPLACEMENT CHARACTER}", text.replace("\r\n", "\n"))
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


def name_text(name: str) -> str:
    """A file or folder name as one line of text that any output can show and encode: bytes that
    are not UTF-8, controls (newlines too), bidi controls and line separators become the escapes that
    name them (``\\xff``, ``\\n``, ``\\u202e``), so that a name never spans lines and shows what it holds."""
    text = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return _UNPRINTABLE_IN_NAMES.sub(lambda found: found.group().encode("unicode_escape").decode(), text)


def clean_json(value: Any) -> Any:
    """A JSON document with every string in it (keys too) cleaned, whole."""
    if isinstance(value, str):
        return clean(value, None)
    if isinstance(value, dict):
        return {clean_json(key): clean_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [clean_json(item) for item in value]
    return value


def print_diagnostic(message: str) -> None:
    """Tell whoever runs forwardpass something on stderr. ``message`` may quote a submission, its
    output or a file name, so it is cleaned like any of them."""
    text = clean(message, None)
    print(text if len(text) <= DIAGNOSTIC_LIMIT else "…" + text[-DIAGNOSTIC_LIMIT:], file=sys.stderr)
