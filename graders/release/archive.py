"""Zip files that forwardpass hands out: the same contents always give the same bytes."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Mapping
from pathlib import Path

FIXED_TIME = (2025, 1, 1, 0, 0, 0)  # every entry's date: the archive depends on its contents only
EXECUTABLE, REGULAR = 0o755, 0o644


def write_zip(target: Path, files: Mapping[str, bytes], executable: frozenset[str] = frozenset()) -> Path:
    """Write ``files`` (archive name → contents) to ``target`` in name order, atomically."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = ((EXECUTABLE if name in executable else REGULAR) | 0o100000) << 16
            archive.writestr(info, files[name])
    os.replace(partial, target)
    return target
