"""Every exercise's outline (its title, hints and checks: ``spec.Outline``) without importing its
spec, which imports torch: ``make hint``, the next steps under check's report and the editor's test
panel show them in a blink.

The outlines are written to a cache, named after forwardpass's code (``fingerprint.code``): any
change to a spec, or to what it is built from, names another file, and the next reader makes it
again from the specs themselves (a second or two, once). The warm engine service, which imports
every spec anyway, writes it as soon as it has started.
"""

from __future__ import annotations

import contextlib
import functools
import json
from dataclasses import asdict
from pathlib import Path

from graders import fingerprint, registry
from graders.files import write_atomically
from graders.spec import CheckOutline, Exercise, Hint, Outline

FOLDER = registry.CACHE / "catalog"


def path() -> Path:
    return FOLDER / f"outlines-{fingerprint.code()}.json"


def decoded(data: dict) -> Outline:
    hints = tuple(Hint(hint["text"], tuple(hint["checks"])) for hint in data["hints"])
    checks = [CheckOutline(**check) for check in data["checks"]]
    return Outline(data["id"], data["title"], hints, checks)


def load(file: Path) -> dict[str, Outline] | None:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        outlines = {exercise_id: decoded(data[exercise_id]) for exercise_id in registry.ids()}
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return outlines


def save(exercises: dict[str, Exercise], file: Path) -> dict[str, Outline]:
    """The outlines of ``exercises``, kept in ``file`` (in place of any older catalog) when the
    cache can be written; a read-only checkout only pays again next time."""
    outlines = {exercise_id: exercise.outline() for exercise_id, exercise in exercises.items()}
    with contextlib.suppress(OSError):
        document = {exercise_id: asdict(outline) for exercise_id, outline in outlines.items()}
        write_atomically(file, json.dumps(document, indent=1, ensure_ascii=False) + "\n", private=True)
        for older in file.parent.glob("outlines-*.json"):
            if older != file:
                older.unlink(missing_ok=True)
    return outlines


@functools.cache
def outlines() -> dict[str, Outline]:
    """Every exercise's outline by id, in curriculum order: from the cache, else from the specs."""
    file = path()
    return load(file) or save(registry.load_all(), file)


def outline(exercise_id: str) -> Outline:
    return outlines()[exercise_id]
