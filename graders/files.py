"""Writing a file so that no reader, and no crash, ever leaves half of it: the whole text goes to a
temporary name beside it first (its own per process, should two write at once), then replaces it."""

from __future__ import annotations

import os
from pathlib import Path


def write_atomically(path: Path, data: bytes | str) -> None:
    """``data`` into ``path``, text as UTF-8; the folder is made if it is missing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    if isinstance(data, str):
        partial.write_text(data, encoding="utf-8")
    else:
        partial.write_bytes(data)
    os.replace(partial, path)
