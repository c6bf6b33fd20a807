"""What Gradescope's ``run_autograder`` runs: grade ROOT/submission, write ROOT/results/results.json.

ROOT is ``/autograder`` on Gradescope (``--root`` or ``FORWARDPASS_AUTOGRADER_ROOT`` for another
tree laid out the same way). ROOT/source is the autograder bundle (graders/release/gradescope.py):
the engine, the grader specs with their hidden checks, the stubs, the reference's observations
under the course's secret seed, and ``autograder.json``.

The student's files are found whatever their names: loose ``.py`` and ``.ipynb`` files, and the
files inside any ``.zip`` (the ``submission.zip`` of ``make submit`` among them), matched to the
assignment's exercises by ``identify``. Whatever happens — no file, an unreadable archive, the
engine failing — a valid results.json is written, and its ``output`` says what happened and which
isolation the grading had. Nothing the submission printed reaches the student.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import graders
from graders import registry
from graders.bulk.inputs import (
    ARCHIVES,
    GRADABLE,
    MAX_NESTING,
    Entry,
    Intake,
    Staging,
    SubmittedFile,
    archive_entries,
    choose,
    folder_entries,
)
from graders.bulk.results import not_submitted
from graders.files import write_atomically
from graders.release.identify import identify
from graders.release.submission import MANIFEST, changed_files, read_manifest
from graders.reporters.gradescope import results_json
from graders.results import ExerciseResult
from graders.text import clean

CONFIG = "autograder.json"
NOTHING = (
    "No exercise file was found in your submission. Upload your exercise files (.py or .ipynb, e.g. "
    "ex01_my_model.py), or the submission.zip that `make submit` writes."
)


@dataclass
class Settings:
    """What ``make gradescope`` wrote into autograder.json."""

    exercises: tuple[str, ...]
    secret_seed: int
    version: str = ""

    @classmethod
    def read(cls, source: Path) -> Settings:
        data = json.loads((source / CONFIG).read_text(encoding="utf-8"))
        return cls(tuple(data["exercises"]), int(data["secret_seed"]), str(data.get("forwardpass", "")))


@dataclass
class Found:
    """The student's files for the assignment's exercises, and what the student should know about the rest."""

    files: dict[str, SubmittedFile] = field(default_factory=dict)  # by exercise id
    notes: list[str] = field(default_factory=list)


def gradable_entries(folder: Path, staging: Staging, intake: Intake) -> tuple[list[Entry], list[Entry]]:
    """The submission's exercise-file candidates and its manifests, through archives."""
    pending = folder_entries(folder, intake) if folder.is_dir() else []
    candidates, manifests = [], []
    while pending:
        entry = pending.pop(0)
        suffix = Path(entry.name).suffix.lower()
        if suffix in ARCHIVES:
            if entry.depth < MAX_NESTING:
                pending += archive_entries(entry, staging, intake, None)
            else:
                intake.note("archive", f"{entry.origin}: an archive inside an archive inside an archive; skipped")
        elif entry.name == MANIFEST:
            manifests.append(entry)
        elif suffix in GRADABLE:
            candidates.append(entry)
        else:
            intake.note("unknown", f"{entry.origin}: not a .py, .ipynb or .zip file; not graded")
    return candidates, manifests


def manifest_notes(manifests: Sequence[Entry], candidates: Sequence[Entry]) -> list[str]:
    """For each `make submit` zip: whether its files are the ones it packed."""
    notes = []
    for manifest in manifests:
        archive, inside = manifest.origin.rsplit(":", 1) if ":" in manifest.origin else ("", "")
        listing = read_manifest(manifest.path.read_bytes())
        if listing is None or "/" in inside:  # not a zip that `make submit` wrote
            continue
        packed = {e.name: e.path.read_bytes() for e in candidates if e.origin.rsplit(":", 1)[0] == archive}
        changed = changed_files(listing, packed)
        state = f"not as packed: {', '.join(changed)}" if changed else "every file as packed"
        notes.append(f"{archive} was packed by `make submit` (forwardpass {listing.get('forwardpass', '?')}): {state}.")
    return notes


def find_files(folder: Path, staging: Path, exercises: Sequence[str]) -> Found:
    intake, found = Intake(), Found()
    stage = Staging(staging)
    stage.reset()
    candidates, manifests = gradable_entries(folder, stage, intake)
    matched: dict[str, list[SubmittedFile]] = {}
    for entry, exercise in zip(candidates, identify([(e.name, e.path) for e in candidates], exercises), strict=True):
        if exercise is None:
            found.notes.append(f"{entry.origin}: not one of this assignment's exercises ({', '.join(exercises)})")
            continue
        matched.setdefault(exercise, []).append(SubmittedFile(exercise, entry.path, entry.name, entry.origin))
    for exercise, files in matched.items():
        chosen = found.files[exercise] = choose(files)
        if len(files) > 1:
            others = ", ".join(f.origin for f in files if f is not chosen)
            found.notes.append(f"{exercise}: graded {chosen.origin}; also found {others}")
    found.notes += [note.text for note in intake.notes] + manifest_notes(manifests, candidates)
    return found


def grade(found: Found, settings: Settings) -> tuple[list[ExerciseResult], str]:
    """Every exercise of the assignment, in its order (0 where no file was found), and the isolation."""
    from graders.engine.client import Engine, EngineError
    from graders.engine.limits import Limits
    from graders.grading import grade_iter
    from graders.judge import judge
    from graders.options import Options
    from graders.sources import Submission

    submissions = [Submission(e, file.path, file.name) for e, file in found.files.items()]
    options = Options(include_hidden=True, secret_seed=settings.secret_seed, limits=Limits())
    results: dict[str, ExerciseResult] = {}
    isolation = "not needed: nothing to grade"
    if submissions:
        try:
            with Engine() as engine:
                level = engine.isolation
                isolation = level.level + (f" ({level.method})" if level.level == "full" else f": {level.reason}")
                for index, result in grade_iter(submissions, engine, options):
                    results[submissions[index].exercise_id] = result
        except EngineError as failure:
            print(f"forwardpass: {failure}", file=sys.stderr)
            message = "The grader could not run (this is not your fault): " + str(failure).splitlines()[0]
            for s in submissions:
                results[s.exercise_id] = judge(s.exercise, s.label, None, None, True, options.limits, error=message)
            isolation = "none: the engine failed"
    graded = [results.get(e) or not_submitted(registry.get(e), include_hidden=True) for e in settings.exercises]
    return graded, isolation


def summary(results: Sequence[ExerciseResult], found: Found, isolation: str, settings: Settings) -> str:
    """The text above the tests on Gradescope: what was graded as what, what was not, the isolation."""
    score, most = sum(r.score for r in results), sum(r.max_score for r in results)
    lines = [f"forwardpass {settings.version or graders.__version__}: {score:g}/{most:g} points."]
    if not found.files:
        lines.append(NOTHING)
    for result in results:
        file = found.files.get(result.id)
        where = f"{file.origin.split('/', 1)[-1]}" if file else "no file found"
        lines.append(f"{result.id}: {result.score:g}/{result.max_score:g} ({where})")
    lines += [f"Note: {note}" for note in found.notes]  # names in them are the student's: cleaned below
    lines.append(
        "Hidden checks run your code on inputs that are not shown; their results appear once grades are published."
    )
    lines.append(f"Isolation: {isolation}.")
    return "\n".join(clean(line, 600) for line in lines)


def failure_results(message: str, seconds: float) -> dict[str, Any]:
    return {"score": 0.0, "execution_time": round(seconds, 3), "output": message, "tests": []}


def protect(source: Path) -> None:
    """The bundle (hidden checks, reference observations, the secret seed) for the grader's user only:
    where the sandbox is reduced, a worker runs as another user and must not read it."""
    for path in [source, *source.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode & 0o700)


def write_results(path: Path, document: dict[str, Any]) -> None:
    write_atomically(path, json.dumps(document, indent=1, ensure_ascii=False) + "\n")


def run_autograder(root: Path) -> dict[str, Any]:
    """Grade ROOT/submission and write ROOT/results/results.json; returns what was written."""
    start = time.monotonic()
    try:
        settings = Settings.read(registry.ROOT)
        protect(registry.ROOT)
        with tempfile.TemporaryDirectory(prefix="forwardpass-submission-") as staging:
            found = find_files(root / "submission", Path(staging), settings.exercises)
            results, isolation = grade(found, settings)
        document = results_json(results, time.monotonic() - start, summary(results, found, isolation, settings))
        document.update(output_format="text", test_output_format="text")  # names and messages shown as written
    except Exception:
        traceback.print_exc()  # Gradescope shows the autograder's own output to course staff only
        message = "The autograder failed while grading your submission (not your fault); tell your course staff."
        document = failure_results(message, time.monotonic() - start)
    write_results(root / "results" / "results.json", document)
    return document


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="run_autograder", description="Grade a Gradescope submission.")
    parser.add_argument(
        "--root",
        default=os.environ.get("FORWARDPASS_AUTOGRADER_ROOT", "/autograder"),
        help="the tree with submission/ and results/ (default: /autograder, or FORWARDPASS_AUTOGRADER_ROOT)",
    )
    document = run_autograder(Path(parser.parse_args(argv).root))
    print(document.get("output", ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
