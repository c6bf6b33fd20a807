"""Text that came from a submission, made safe to show anywhere: no control or bidi characters
(which could fake the grader's own lines or rewrite a TA's terminal), and a bounded length."""

from __future__ import annotations

import re

# C0 and C1 controls except newline and tab, DEL, and the Unicode bidirectional controls.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text: str, limit: int = 4000) -> str:
    """``text`` without unsafe characters, cut at ``limit`` characters with a visible mark."""
    text = _UNSAFE.sub("\N{REPLACEMENT CHARACTER}", text.replace("\r\n", "\n"))
    return text if len(text) <= limit else text[: limit - 1] + "…"
