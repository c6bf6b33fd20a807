"""``submission.zip``: a student's exercise files as ``make submit`` packs them for the LMS or Gradescope.

The files lie at the top of the archive under their own names, next to a small manifest: the
forwardpass version they were checked with and each file's size and SHA-256, so that a TA can
tell that what was graded is what was packed. The bulk grader and Gradescope's run_autograder
read the archive as it is; the manifest itself is never graded.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import graders
from graders.release.archive import write_zip

MANIFEST = "forwardpass-submission.json"
FORMAT = 1


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest(files: Mapping[str, bytes]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "forwardpass": graders.__version__,
        "files": {name: {"bytes": len(data), "sha256": sha256(data)} for name, data in sorted(files.items())},
    }


def pack(paths: Sequence[Path], target: Path) -> dict[str, Any]:
    """Write ``paths`` and their manifest into ``target``; returns the manifest."""
    files: dict[str, bytes] = {}
    for path in paths:
        if path.name in files or path.name == MANIFEST:
            raise ValueError(f"two files to pack are named {path.name}")
        files[path.name] = path.read_bytes()
    listing = manifest(files)
    write_zip(target, {**files, MANIFEST: (json.dumps(listing, indent=1) + "\n").encode()})
    return listing


def read_manifest(data: bytes) -> dict[str, Any] | None:
    """The manifest's contents, or None when it is not one ``make submit`` wrote."""
    try:
        listing = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(listing, dict) or not isinstance(listing.get("files"), dict):
        return None
    return listing


def changed_files(listing: Mapping[str, Any], files: Mapping[str, bytes]) -> list[str]:
    """The names whose contents differ from the manifest's record: changed, added or missing."""
    recorded = listing.get("files", {})
    names = set(files) | set(recorded)
    return sorted(
        name
        for name in names
        if name not in files
        or not isinstance(recorded.get(name), dict)
        or recorded[name].get("sha256") != sha256(files[name])
    )
