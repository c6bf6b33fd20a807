"""What a warm process was made from: forwardpass's code, the solutions, the Python environment and
the settings it read. Computed again by whoever talks to it: a different fingerprint means the
process is stale (``graders/service/``), and so is what was cached under the old one
(``graders/catalog.py``).
"""

from __future__ import annotations

import hashlib
import os
import sys
import sysconfig
from collections.abc import Iterable
from pathlib import Path

from graders import registry

PACKAGE = registry.ROOT / "graders"
# The settings that only say where the service lives, or whether to use it at all, and those each
# request carries (the language, its catalogs): every other FORWARDPASS_ variable may change how the
# service grades, and so is part of its fingerprint.
LOCATION_ONLY = ("FORWARDPASS_STATE", "FORWARDPASS_ENGINE_SERVICE")
PER_REQUEST = ("FORWARDPASS_LANG", "FORWARDPASS_LOCALES")


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


def environment() -> str:
    """The interpreter and the packages it imports (their folders' entries name each version), and
    the FORWARDPASS_ settings that shape grading."""
    parts = [sys.executable.encode(), sys.version.encode()]
    for folder in sorted({sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}):
        try:
            parts += sorted(name.encode() for name in os.listdir(folder))
        except OSError:
            parts.append(b"unreadable")
    settings = sorted(
        (k, v) for k, v in os.environ.items() if k.startswith("FORWARDPASS_") and k not in LOCATION_ONLY + PER_REQUEST
    )
    parts += [f"{name}={value}".encode() for name, value in settings]
    return digest(parts)


def service() -> str:
    """Everything a warm grading process depends on: when any of it changes, it starts afresh."""
    solutions = files(registry.SOLUTIONS, "*.py") if registry.SOLUTIONS.is_dir() else ()
    return digest([code().encode(), digest(solutions).encode(), environment().encode()])
