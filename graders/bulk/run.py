"""Grading a class, end to end: the LMS's export in; gradebook, feedback and report out.

1. find the students and their files (``inputs``), matched to the roster (``roster``);
2. fingerprint each (student, exercise) file; what the store already holds under the same
   fingerprint is not graded again;
3. grade the rest on the engine, storing each result the moment it completes (``store``);
4. assemble the class from the store, find the submissions that are alike (``similarity``), and
   write every output from them: the LMS's import files too when the roster is its export (``lms``).

Everything is derived from the store at the end, so a run that was killed and a run that was not
write the same files.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from graders import i18n, registry
from graders.bulk import inputs, lms, roster, similarity
from graders.bulk.feedback import feedback_markdown
from graders.bulk.gradebook import gradebook_csv
from graders.bulk.inputs import Intake, Student
from graders.bulk.report import report_html
from graders.bulk.results import ClassResults, StudentResults, not_submitted
from graders.bulk.roster import Roster
from graders.bulk.store import Store
from graders.bulk.terminal import GradingProgress
from graders.course import SELF_LEARNER, Course, HintPolicy
from graders.engine.limits import Limits
from graders.files import remove_tree, write_atomically
from graders.matching import Graded, sentences
from graders.policy import shown
from graders.release.archive import write_zip
from graders.reporters.gradescope import late_sentence, overview, results_json
from graders.results import ExerciseResult
from graders.sources import MAX_BYTES
from graders.spec import Exercise

DATABASE = "results.sqlite"
STAGING = ".inputs"  # files taken out of archives, for the length of a run
LOCK = ".lock"
# What a grade is made of besides the submission: a change in any of these regrades the class.
GRADER_FILES = ("sources.py", "probe.py", "checks.py", "judge.py", "explain.py", "wire.py", "results.py")


class Busy(RuntimeError):
    """Another run is grading into the same output folder."""


@dataclass(frozen=True)
class Settings:
    include_hidden: bool = True
    secret_seed: int = registry.DEFAULT_SECRET_SEED
    limits: Limits = field(default_factory=Limits)
    jobs: int | None = None  # parallel jobs; None: every core
    force: bool = False  # regrade what the store already holds
    exercises: tuple[str, ...] = ()  # the assignment; empty: every exercise someone handed in
    roster: Path | None = None
    similarity: float | None = similarity.DEFAULT_THRESHOLD  # None: similar submissions not looked for
    canvas: lms.CanvasColumn = field(default_factory=lms.CanvasColumn)
    course: Course = SELF_LEARNER  # its points, late penalty and hint policy shape what students read


@contextlib.contextmanager
def locked(out: Path) -> Iterator[None]:
    descriptor = os.open(out / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy(f"another grading run is writing to {out}; wait for it or choose another --out") from None
        yield
    finally:
        os.close(descriptor)


def grader_version(exercise_id: str, settings: Settings) -> str:
    """Everything besides the file that shapes a grade: the exercise's spec and solution, the grader's
    judging code, torch, the seeds, the options, and the language its messages are in (with its catalog)."""
    digest = hashlib.sha256()
    package = registry.ROOT / "graders"
    speech = i18n.speech()
    catalog = speech.catalogs / speech.language / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
    paths = [package / "exercises" / f"{exercise_id}.py", registry.SOLUTIONS / f"{exercise_id}.py", catalog]
    for path in [*paths, *(package / name for name in GRADER_FILES)]:
        with contextlib.suppress(OSError):
            digest.update(path.read_bytes())
    options = [metadata.version("torch"), registry.PUBLIC_SEED, settings.secret_seed, settings.include_hidden]
    options.append(speech.language)
    digest.update(json.dumps([*options, settings.limits.to_dict()]).encode())
    return digest.hexdigest()


def fingerprint(file: Graded, version: str) -> str:
    """What a result is graded from: the grader's version, and the file as grading reads it (its
    first ``MAX_BYTES + 1`` bytes, and its size), however large it is."""
    digest = hashlib.sha256(version.encode())
    try:
        with open(file.path, "rb") as opened:
            digest.update(opened.read(MAX_BYTES + 1))
            digest.update(f"{os.fstat(opened.fileno()).st_size} bytes".encode())
    except OSError as error:
        digest.update(f"unreadable: {error}".encode())
    return digest.hexdigest()[:32]


def assignment(intake: Intake, wanted: tuple[str, ...]) -> tuple[Exercise, ...]:
    """The exercises graded: those asked for (files for others were not matched), or every exercise
    someone handed in a file for."""
    chosen = set(wanted) or {exercise_id for s in intake.students.values() for exercise_id in s.files}
    skipped = Counter(
        ignored.exercise_id
        for student in intake.students.values()
        for ignored in student.matching.ignored
        if ignored.why == "outside"
    )
    for exercise_id, count in sorted(skipped.items()):
        intake.note("assignment", f"{exercise_id}: {count} students' files skipped, not part of this assignment")
    return tuple(registry.get(exercise_id) for exercise_id in registry.ids() if exercise_id in chosen)


def folder_names(students: list[Student]) -> dict[str, str]:
    """A folder name per student key: readable, safe on any file system, unique."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for student in students:
        label = student.key if student.name in ("", student.key) else f"{student.name}_{student.key}"
        base = re.sub(r"[^\w.\-]+", "_", label).strip("._")[:80] or "student"
        name, n = base, 1
        while name.lower() in taken:
            n += 1
            name = f"{base}-{n}"
        taken.add(name.lower())
        names[student.key] = name
    return names


def grade_pending(
    pending: list[tuple[Student, Graded]],
    fingerprints: dict[tuple[str, str], str],
    store: Store,
    settings: Settings,
    progress: GradingProgress | None,
    reused: int,
) -> int:
    """Grade ``pending`` on a fresh engine, storing each result as it completes; returns the jobs used."""
    from graders.engine.client import Engine

    # The zygote imports torch, and whatever the exercises need, while this process imports torch
    # and stages the jobs: nothing waits for those imports in the middle of the run.
    preload = {name for _, file in pending for name in registry.get(file.exercise_id).preload}
    engine = Engine(jobs=settings.jobs, preload=preload)
    engine.start()

    from graders.grading import grade_iter
    from graders.options import Options
    from graders.sources import Submission

    options = Options(include_hidden=settings.include_hidden, secret_seed=settings.secret_seed, limits=settings.limits)
    submissions = [Submission(file.exercise_id, file.path, file.name) for _, file in pending]
    if progress:
        progress.begin(len(pending), reused)
    with engine:
        for count, (index, result) in enumerate(grade_iter(submissions, engine, options)):
            if count == 0:  # asked no earlier: waiting for the engine would hold up staging the jobs
                isolation = engine.isolation
                if isolation.level != "full" or store.get_meta("isolation") is None:
                    store.set_meta("isolation", json.dumps([isolation.level, isolation.reason]))
            student, file = pending[index]
            key = (student.key, file.exercise_id)
            store.put(student.key, file.exercise_id, fingerprints[key], result)
            if progress:
                progress.advance(result)
    return engine.jobs


def assemble(
    intake: Intake,
    exercises: tuple[Exercise, ...],
    stored: dict[tuple[str, str], tuple[str, ExerciseResult]],
    fingerprints: dict[tuple[str, str], str],
    settings: Settings,
) -> list[StudentResults]:
    ordered = sorted(intake.students.values(), key=lambda s: (s.name.casefold(), s.key))
    folders = folder_names(ordered)
    students = []
    for student in ordered:
        results, absent = {}, set()
        for exercise in exercises:
            key = (student.key, exercise.id)
            if exercise.id in student.files:
                found_fingerprint, result = stored[key]
                assert found_fingerprint == fingerprints[key], f"{key} was not graded"
            else:
                result = not_submitted(exercise, settings.include_hidden)
                absent.add(exercise.id)
            results[exercise.id] = settings.course.weigh(result)
        folder, late = folders[student.key], student.late
        students.append(
            StudentResults(
                student.key,
                student.name,
                folder,
                late,
                results,
                frozenset(absent),
                test=student.test,
                matching=student.matching,
                late_penalty=settings.course.late_penalty,
            )
        )
    return students


def similar(intake: Intake, students: list[StudentResults], threshold: float) -> list[similarity.Group]:
    """The groups of alike submissions among the class's members, stubs handed in untouched left out."""
    handed: dict[str, list[similarity.Handed]] = {}
    for student in students:
        for exercise_id in student.results:
            if not student.test and student.outcome(exercise_id) not in ("not submitted", "not started"):
                label = student.name if student.name == student.key else f"{student.name} ({student.key})"
                path = intake.students[student.key].files[exercise_id].path
                handed.setdefault(exercise_id, []).append(similarity.Handed(label, path))
    return similarity.similar_submissions(handed, threshold)


def student_output(student: StudentResults, policy: HintPolicy) -> str:
    """The text above the tests of a student's results.json: only what the public checks gave."""
    results = shown(list(student.results.values()), policy)
    files = {graded.exercise_id: graded.name for graded in student.matching.graded}
    lines = [*overview(results, files), *sentences(student.matching, named_too=False)]
    if student.late:
        lines.append(late_sentence(student.late_penalty))
    return "\n".join(lines)


def lms_outputs(
    grades: ClassResults, course_roster: Roster | None, feedback: dict[str, str], canvas: lms.CanvasColumn
) -> dict[str, str | dict[str, bytes]]:
    """The files the LMS that exported the roster imports as they are; none for another roster."""
    kind = lms.lms_of(course_roster) if course_roster else None
    if kind == "canvas":
        return {lms.CANVAS_IMPORT: lms.canvas_import(grades, course_roster, canvas)}
    if kind == "moodle":
        return {
            lms.MOODLE_WORKSHEET: lms.moodle_worksheet(grades, course_roster),
            lms.MOODLE_FEEDBACK: lms.moodle_feedback_files(grades, course_roster, feedback),
        }
    return {}


def write_outputs(
    grades: ClassResults, out: Path, course_roster: Roster | None, canvas: lms.CanvasColumn, policy: HintPolicy = "all"
) -> tuple[str, ...]:
    """Every output, each file replaced whole: a reader never sees half of one; what students read
    shows hints as the course's ``policy`` allows. Returns the names of the LMS's import files written."""
    fresh, old = out / "students.partial", out / "students.old"
    for folder in (fresh, old):
        remove_tree(folder)
    fresh.mkdir()
    feedback = {}
    for student in grades.students:
        folder = fresh / student.folder
        folder.mkdir()
        feedback[student.key] = feedback_markdown(student, grades.exercises, policy)
        (folder / "feedback.md").write_text(feedback[student.key], encoding="utf-8")
        seconds = sum(result.seconds for result in student.results.values())
        shown_results = shown(list(student.results.values()), policy)
        document = results_json(shown_results, seconds, student_output(student, policy), score=student.score)
        (folder / "results.json").write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", "utf-8")
    if (out / "students").exists():
        os.replace(out / "students", old)
    os.replace(fresh, out / "students")
    remove_tree(old)
    write_atomically(out / "gradebook.csv", gradebook_csv(grades))
    write_atomically(out / "report.html", report_html(grades))
    written = lms_outputs(grades, course_roster, feedback, canvas)
    for name in (lms.CANVAS_IMPORT, lms.MOODLE_WORKSHEET, lms.MOODLE_FEEDBACK):
        if name not in written:
            (out / name).unlink(missing_ok=True)  # an earlier run's, for another roster
        elif isinstance(written[name], dict):
            write_zip(out / name, written[name])
        else:
            write_atomically(out / name, written[name])
    return tuple(written)


def grade_class(source: Path, out: Path, settings: Settings, progress: GradingProgress | None = None) -> ClassResults:
    """Grade the class in ``source`` (a folder or a .zip) into ``out``, resuming earlier work there."""
    started = time.monotonic()
    out.mkdir(parents=True, exist_ok=True)
    with locked(out):
        intake = inputs.discover(source, out / STAGING, exclude=out, exercises=settings.exercises)
        course_roster = roster.read_roster(settings.roster) if settings.roster is not None else None
        if course_roster is not None:
            roster.apply_roster(intake, course_roster)
        exercises = assignment(intake, settings.exercises)
        versions = {exercise.id: grader_version(exercise.id, settings) for exercise in exercises}
        work = [
            (student, student.files[exercise.id])
            for student in sorted(intake.students.values(), key=lambda s: s.key)
            for exercise in exercises
            if exercise.id in student.files
        ]
        fingerprints = {(s.key, f.exercise_id): fingerprint(f, versions[f.exercise_id]) for s, f in work}
        jobs = settings.jobs or os.cpu_count() or 1
        with Store(out / DATABASE) as store:
            stored = {} if settings.force else store.fingerprints()
            pending = [
                (s, f) for s, f in work if stored.get((s.key, f.exercise_id)) != fingerprints[s.key, f.exercise_id]
            ]
            if pending:
                jobs = grade_pending(pending, fingerprints, store, settings, progress, len(work) - len(pending))
            level, note = json.loads(store.get_meta("isolation") or '["full", ""]')
            students = assemble(intake, exercises, store.results(), fingerprints, settings)
        grades = ClassResults(
            source=str(source),
            exercises=exercises,
            students=students,
            include_hidden=settings.include_hidden,
            isolation=level,
            isolation_note=note,
            notes=intake.notes,
            graded=len(pending),
            reused=len(work) - len(pending),
            jobs=jobs,
            course=settings.course,
        )
        if settings.similarity is not None:
            grades.similar = similar(intake, students, settings.similarity)
            grades.similarity_threshold = settings.similarity
        grades.seconds = time.monotonic() - started
        grades.lms_files = write_outputs(grades, out, course_roster, settings.canvas, settings.course.hints)
        remove_tree(out / STAGING)
    return grades
