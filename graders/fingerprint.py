"""What a process's cached work was made from: forwardpass's own code. Computed again by whoever reads
it: a different fingerprint means what was cached under the old one is stale (``graders/catalog.py``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from graders import registry

PACKAGE = registry.ROOT / "graders"


def digest(parts: Iterable[bytes]) -> str:
    hashed = hashlib.sha256()
    for part in parts:
        hashed.update(len(part).to_bytes(8, "big"))
        hashed.update(part)
    return hashed.hexdigest()[:20]


def files(folder: Path, pattern: str) -> Iterable[bytes]:
    """Each file's name (relative to ``folder``) and its bytes, in a fixed order; caches left out."""
    for path in sorted(folder.rglob(pattern)):
        if "__pycache__" not in path.parts and path.is_file():
            yield path.relative_to(folder).as_posix().encode()
            yield path.read_bytes()


def code() -> str:
    """forwardpass's own files: the engine, the judge, the grader specs, their catalogs of messages."""
    return digest(files(PACKAGE, "*"))
