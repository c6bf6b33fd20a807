"""What Gradescope's ``run_autograder`` runs: grade ROOT/submission, write ROOT/results/results.json.

ROOT is ``/autograder`` on Gradescope (``--root`` or ``FORWARDPASS_AUTOGRADER_ROOT`` for another
tree laid out the same way). ROOT/source is the autograder bundle (graders/release/gradescope.py):
the engine, the grader specs with their hidden checks, the stubs, the reference's observations
under the course's secret seed, and the course file (``graders.course``: the assignment, its points,
the secret seed and the hint policy).

The student's files are found whatever their names: loose ``.py`` and ``.ipynb`` files, and the
files inside any ``.zip`` (the ``submission.zip`` of ``make submit`` among them), matched to the
assignment's exercises by ``graders.matching``, the rule every command uses. Whatever happens —
no file, an unreadable archive, the engine failing — a valid results.json is written, and its
``output`` says what happened and which isolation the grading had. What a student reads before
grades are published counts the public checks only; nothing the submission printed reaches them.
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
from datetime import datetime
from pathlib import Path
from typing import Any

import graders
from graders import i18n, registry
from graders.bulk.inputs import ARCHIVES, MAX_NESTING, Entry, Intake, Staging, archive_entries, folder_entries
from graders.bulk.results import not_submitted
from graders.course import FILE_NAME, Course, counted
from graders.course import read as read_course
from graders.explain import ENGINE_FAILED
from graders.files import write_atomically
from graders.i18n import N_, _
from graders.matching import Handed, Matching, match, sentences
from graders.policy import hints_for, shown
from graders.release.submission import MANIFEST, changed_files, read_manifest
from graders.reporters.gradescope import late_sentence, overview, results_json
from graders.results import ExerciseResult
from graders.text import clean

METADATA = "submission_metadata.json"  # what Gradescope says of the submission: its time, the due date
NOTHING = N_(
    "No exercise file was found in your submission. Upload your exercise files (.py or .ipynb, e.g. "
    "ex01_my_model.py), or the submission.zip that `make submit` writes."
)


@dataclass
class Found:
    """The student's files sorted out for the assignment, and what else the student should know."""

    matching: Matching = field(default_factory=Matching)
    notes: list[str] = field(default_factory=list)  # archives that could not be read, `make submit`'s manifests


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
                skipped = _("{archive}: an archive inside an archive inside an archive; skipped")
                intake.note("archive", skipped.format(archive=entry.origin))
        elif entry.name == MANIFEST:
            manifests.append(entry)
        else:
            candidates.append(entry)
    return candidates, manifests


def manifest_notes(manifests: Sequence[Entry], candidates: Sequence[Entry]) -> list[str]:
    """For each `make submit` zip: whether its files are the ones it packed."""
    notes = []
    for manifest in manifests:
        archive, inside = manifest.origin.rsplit(":", 1) if ":" in manifest.origin else ("", "")
        listing = read_manifest(manifest.path.read_bytes())
        if listing is None or "/" in inside:  # not a zip that `make submit` wrote
            continue
        inside_it = [e for e in candidates if e.path is not None and e.origin.rsplit(":", 1)[0] == archive]
        packed = {e.name: e.path.read_bytes() for e in inside_it}
        changed = changed_files(listing, packed)
        state = _("not as packed: {files}").format(files=", ".join(changed)) if changed else _("every file as packed")
        packed_by = _("{archive} was packed by `make submit` (forwardpass {version}): {state}.")
        notes.append(packed_by.format(archive=archive, version=listing.get("forwardpass", "?"), state=state))
    return notes


def find_files(folder: Path, staging: Path, exercises: Sequence[str]) -> Found:
    intake = Intake()
    stage = Staging(staging)
    stage.reset()
    candidates, manifests = gradable_entries(folder, stage, intake)
    matching = match([Handed(e.name, e.path, e.origin) for e in candidates], exercises)
    return Found(matching, [note.text for note in intake.notes] + manifest_notes(manifests, candidates))


def grade(found: Found, course: Course) -> tuple[list[ExerciseResult], str]:
    """Every exercise of the assignment, in its order (0 where no file was found), and the isolation."""
    from graders.engine.client import Engine, EngineError
    from graders.engine.limits import Limits
    from graders.grading import grade_iter
    from graders.judge import judge
    from graders.options import Options
    from graders.sources import Submission

    submissions = [Submission(graded.exercise_id, graded.path, graded.name) for graded in found.matching.graded]
    options = Options(include_hidden=True, secret_seed=course.secret_seed, limits=Limits())
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
            message = _(ENGINE_FAILED).format(failure=str(failure).splitlines()[0])
            for s in submissions:
                results[s.exercise_id] = judge(s.exercise, s.label, None, None, True, options.limits, error=message)
            isolation = "none: the engine failed"
    graded = [results.get(e) or not_submitted(registry.get(e), include_hidden=True) for e in course.assignment]
    return [course.weigh(result) for result in graded], isolation


def hint_lines(results: Sequence[ExerciseResult], course: Course) -> list[str]:
    """The hint for each exercise's first failing public check, as the course's policy allows."""
    lines = []
    for result in results:
        for hint in hints_for(registry.get(result.id), result, course.hints, public_only=True):
            lines.append(_("Hint for {exercise}: {hint}").format(exercise=result.id, hint=hint.text))
    return lines


def summary(results: Sequence[ExerciseResult], found: Found, isolation: str, course: Course) -> str:
    """The text above the tests on Gradescope, visible at once: the public checks' points, which file
    was graded as which exercise and which were not, hints, the isolation. Nothing of a hidden check."""
    files = {graded.exercise_id: graded.origin.split("/", 1)[-1] for graded in found.matching.graded}
    lines = [f"forwardpass {graders.__version__}"]
    if not found.matching.graded:
        lines.append(_(NOTHING))
    lines += overview(results, files)
    lines += sentences(found.matching, named_too=False)
    lines += [_("Note: {note}").format(note=note) for note in found.notes]  # names in them are the student's
    lines += hint_lines(results, course)
    lines.append(_("Isolation: {isolation}.").format(isolation=isolation))
    return "\n".join(clean(line, 600) for line in lines)


def submitted_late(root: Path) -> bool:
    """Whether Gradescope's submission_metadata.json says the submission came after the due date."""
    try:
        metadata = json.loads((root / METADATA).read_text(encoding="utf-8"))
        created, due = metadata["created_at"], metadata["assignment"]["due_date"]
        return datetime.fromisoformat(created) > datetime.fromisoformat(due)
    except (OSError, ValueError, KeyError, TypeError):  # no metadata (a trial run): on time
        return False


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
        course = read_course(registry.ROOT / FILE_NAME)
        i18n.use(i18n.choose(None, os.environ, course.language), i18n.catalogs_in(os.environ))
        protect(registry.ROOT)
        with tempfile.TemporaryDirectory(prefix="forwardpass-submission-") as staging:
            found = find_files(root / "submission", Path(staging), course.assignment)
            results, isolation = grade(found, course)
        shown_results = shown(results, course.hints)
        output = summary(shown_results, found, isolation, course)
        late = submitted_late(root)
        if late:
            output += "\n" + late_sentence(course.late_penalty)
        score = counted(sum(result.score for result in results), course.late_penalty, late)
        document = results_json(shown_results, time.monotonic() - start, output, score=score)
        document.update(output_format="text", test_output_format="text")  # names and messages shown as written
    except Exception:
        traceback.print_exc()  # Gradescope shows the autograder's own output to course staff only
        message = _("The autograder failed while grading your submission (not your fault); tell your course staff.")
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
