"""Finding the students and their files in what a TA downloaded from the LMS.

Each entry at the top of the submissions folder (or .zip) is read as one of:

- a folder per student: ``alice/ex01_my_model.py`` (files at any depth; .zip files inside are opened);
- Moodle's folder per submission: ``Alice Smith_1234_assignsubmission_file_/ex01_my_model.py``;
- Canvas's flat files: ``smithalice_1234_56789_ex01_my_model.py``, late ones ``smithalice_LATE_1234_...``;
- Moodle's flat files: ``Alice Smith_1234_assignsubmission_file_ex01_my_model.py``;
- an archive of any of these (the class's .zip inside the folder).

Whose file it is comes from what the LMS wrote, never from what a student named their file: an export
of flat files is read in one LMS's layout, the one its names have (``flat_layout``), and only the
last part of a name, after the LMS's fields, is the student's. Which of a student's files is which
exercise is ``graders.matching``'s rule, the one every command follows: by name, by what the code
defines, by elimination; of one student's files for an exercise, the latest revision is graded.

Nothing here is fatal: an unreadable archive, a duplicate or an unknown file becomes a ``Note`` for
the TA, and grading goes on; the student's own feedback says the same of their files
(``Student.matching``). What archives may expand to is capped per student and per run
(``Quota``), and only what can be graded comes out of them.
"""

from __future__ import annotations

import lzma
import os
import re
import shutil
import stat
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Literal

from graders import registry
from graders.engine.limits import describe_size
from graders.files import remove_tree
from graders.matching import GRADABLE, Graded, Handed, Matching, by_name, match
from graders.release.submission import MANIFEST
from graders.text import clean, name_text

NoteKind = Literal["archive", "duplicate", "unknown", "roster", "assignment"]

ARCHIVES = (".zip",)
JUNK_NAMES = {"__MACOSX", "__pycache__", ".ipynb_checkpoints", "Thumbs.db", "desktop.ini"}
MAX_MEMBER_BYTES = 64 << 20  # one file inside an archive
MAX_STUDENT_BYTES, MAX_STUDENT_FILES = 64 << 20, 1_000  # what one student's archives expand to, all together
MAX_RUN_BYTES, MAX_RUN_FILES = 2 << 30, 100_000  # what every archive of a run expands to
MAX_MEMBERS = 100_000
MAX_NESTING = 2  # the class's zip, and a student's own zip inside it
MAX_FOLDER_DEPTH = 16  # folders below the submissions folder that are read
# What reading a damaged or hostile archive raises: zipfile's own errors, a decompressor's, a name
# that is not the UTF-8 its flag claims (ValueError), a member too large or encrypted.
ARCHIVE_ERRORS = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError, RuntimeError, ValueError)

# Flat files: the LMS's fields, then the name the student uploaded (``file``).
CANVAS = re.compile(r"^(?P<name>[^_]+?)(?P<late>_late)?_(?P<user>\d+)_(?P<submission>\d+)_(?P<file>.+)$", re.I)
MOODLE_FILE = re.compile(r"^(?P<name>.+?)_(?P<user>\d+)_assignsubmission_(?P<plugin>[a-z]+)_(?P<file>.+)$")
FLAT_LAYOUTS = (CANVAS, MOODLE_FILE)  # in this order where both read as many names
MOODLE_FOLDER = re.compile(r"^(?P<name>.+?)_(?P<user>\d+)_assignsubmission_(?P<plugin>[a-z]+)_?$")


@dataclass(frozen=True)
class Note:
    """Something about the inputs the TA should know; grading went on without it."""

    kind: NoteKind
    text: str


@dataclass
class Student:
    key: str  # stable: the LMS's user id, or the folder's name
    name: str
    aliases: set[str] = field(default_factory=set)  # what a roster may call them
    files: dict[str, Graded] = field(default_factory=dict)  # what is graded, by exercise id
    test: bool = False  # a test user of the LMS (Canvas's Test Student): graded, counted in no statistic
    # Every file they handed in: its ``path`` is in the staging folder when it came out of an archive,
    # and its ``origin`` is where the TA finds it ("class.zip:alice/..."); then sorted out (``discover``).
    handed: list[Handed] = field(default_factory=list)
    matching: Matching = field(default_factory=Matching)

    @property
    def late(self) -> bool:
        return any(file.late for file in self.files.values())


@dataclass
class Intake:
    """The class as found: students by key, and notes on what could not be used."""

    students: dict[str, Student] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)

    def note(self, kind: NoteKind, text: str) -> None:
        """A note of one line: it may quote what an archive's reader said about a name."""
        self.notes.append(Note(kind, clean(text, 600).replace("\n", " ")))

    def student(self, key: str, name: str, *aliases: str) -> Student:
        student = self.students.setdefault(key, Student(key, name))
        student.aliases.update((key, name, *aliases))
        return student


@dataclass(frozen=True)
class Entry:
    """A file of the class, wherever it lives: ``parts`` is its path inside the class."""

    parts: tuple[str, ...]
    path: Path | None  # None: left in its archive, as no file to grade (``worth_extracting``)
    origin: str
    depth: int = 0  # how many archives it came out of

    @property
    def name(self) -> str:
        return self.parts[-1]


def is_junk(parts: tuple[str, ...]) -> bool:
    """Files an OS or an editor leaves behind, never worth a note."""
    return any(part in JUNK_NAMES or part.startswith(".") for part in parts) or parts[-1].endswith(".pyc")


# -- listing files, through archives ------------------------------------------------------------


@dataclass
class Quota:
    """What archives may still expand to: one student's, or a whole run's. Once a file does not fit,
    nothing more comes out under it, and the TA reads one note that says so."""

    whose: str  # "doejane (1234)'s archives"
    max_bytes: int
    max_files: int
    used_bytes: int = 0
    used_files: int = 0
    full: bool = False

    def fits(self, size: int) -> bool:
        return not self.full and self.used_bytes + size <= self.max_bytes and self.used_files + 1 <= self.max_files

    def spend(self, size: int) -> None:
        self.used_bytes += size
        self.used_files += 1


class Staging:
    """Where files come out of archives: one numbered folder each, so no name can escape or clash;
    what comes out is capped per student and for the whole run."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.count = 0
        self.run = Quota("the archives of this run", MAX_RUN_BYTES, MAX_RUN_FILES)
        self.students: dict[str, Quota] = {}

    def quotas(self, student: Student | None) -> tuple[Quota, ...]:
        """What a file from an archive of ``student`` (None: the class's own archive) counts against."""
        if student is None:
            return (self.run,)
        whose = f"{who(student)}'s archives"
        return (self.students.setdefault(student.key, Quota(whose, MAX_STUDENT_BYTES, MAX_STUDENT_FILES)), self.run)

    def admit(self, quotas: tuple[Quota, ...], size: int, origin: str, intake: Intake) -> bool:
        """Whether a file of ``size`` bytes may come out under ``quotas``; spends them if so."""
        for quota in quotas:
            if not quota.fits(size):
                if not quota.full:
                    quota.full = True
                    limit = f"{describe_size(quota.max_bytes)} or {quota.max_files:,} files"
                    intake.note(
                        "archive",
                        f"{origin}: {quota.whose} expand to more than {limit}: from here on, "
                        "nothing more was taken out of them",
                    )
                return False
        for quota in quotas:
            quota.spend(size)
        return True

    def reset(self) -> None:
        remove_tree(self.folder)
        self.folder.mkdir(parents=True)

    def place(self, name: str) -> Path:
        self.count += 1
        folder = self.folder / f"{self.count:06d}"
        folder.mkdir()
        safe = re.sub(r"[^\w.\- ()]", "_", name)[-120:].lstrip(".") or "file"
        return folder / safe


def folder_entries(root: Path, intake: Intake, exclude: Path | None = None) -> list[Entry]:
    """The files under ``root`` in name order, except under ``exclude`` (the output folder, if the TA
    put it there). Links are not followed, and folders deeper than MAX_FOLDER_DEPTH are noted, not read."""
    skipped = exclude.resolve() if exclude else None
    entries, folders = [], [(root, ())]
    while folders:
        folder, parts = folders.pop()
        origin = str(PurePosixPath(name_text(root.name), *parts))
        if len(parts) > MAX_FOLDER_DEPTH:
            intake.note("unknown", f"{origin}: folders nested more than {MAX_FOLDER_DEPTH} deep; not read")
            continue
        try:
            with os.scandir(folder) as listing:
                children = [
                    (
                        Path(child.path),
                        name_text(child.name),
                        child.is_dir(follow_symlinks=False),
                        child.is_file(follow_symlinks=False),
                    )
                    for child in listing
                ]
        except OSError as error:
            intake.note("unknown", f"{origin}: could not be read ({error.strerror}); skipped")
            continue
        for path, name, is_folder, is_file in children:
            inner = (*parts, name)
            if is_junk(inner) or (is_folder and path.resolve() == skipped):
                continue
            if is_folder:
                folders.append((path, inner))
            elif is_file:
                entries.append(Entry(inner, path, str(PurePosixPath(name_text(root.name), *inner))))
    return sorted(entries, key=lambda entry: entry.parts)


def archive_entries(archive: Entry, staging: Staging, intake: Intake, student: Student | None) -> list[Entry]:
    """The files of ``student``'s .zip (None: the class's own), extracted into the staging folder
    within their quotas; what cannot be read, or is no exercise file, becomes a note."""
    entries, quotas = [], staging.quotas(student)
    try:
        with zipfile.ZipFile(archive.path) as opened:
            members = opened.infolist()
            if len(members) > MAX_MEMBERS:
                intake.note("archive", f"{archive.origin}: {len(members):,} files; only the first {MAX_MEMBERS:,} read")
            for info in members[:MAX_MEMBERS]:
                parts = tuple(name_text(p) for p in re.split(r"[/\\]", info.filename) if p not in ("", ".", ".."))
                if info.is_dir() or not parts or is_junk(parts):
                    continue
                origin = f"{archive.origin}:{'/'.join(parts)}"
                if stat.S_ISLNK(info.external_attr >> 16):
                    intake.note("archive", f"{origin}: a symbolic link, skipped")
                    continue
                if not worth_extracting(parts[-1]):  # noted as such where its owner is known
                    entries.append(Entry(archive.parts[:-1] + parts, None, origin, archive.depth + 1))
                    continue
                if info.file_size > MAX_MEMBER_BYTES:
                    intake.note("archive", f"{origin}: {info.file_size:,} bytes, too large to grade; skipped")
                    continue
                if not staging.admit(quotas, info.file_size, origin, intake):
                    continue
                target = staging.place(parts[-1])
                try:
                    with opened.open(info) as source, open(target, "wb") as copy:
                        shutil.copyfileobj(source, copy)  # at most file_size bytes: zipfile stops there
                except ARCHIVE_ERRORS as error:
                    intake.note("archive", f"{origin}: could not be extracted ({error}); skipped")
                    continue
                entries.append(Entry(archive.parts[:-1] + parts, target, origin, archive.depth + 1))
    except ARCHIVE_ERRORS as error:
        intake.note("archive", f"{archive.origin}: not a readable .zip archive ({error}); nothing in it was graded")
    return entries


def worth_extracting(name: str) -> bool:
    """Whether a file can be graded, or lead to files that can: the rest stays in its archive."""
    return name == MANIFEST or PurePosixPath(name).suffix.lower() in (*GRADABLE, *ARCHIVES)


def unwrap(entries: list[Entry]) -> list[Entry]:
    """Drop folders that only wrap the class (``submissions/alice/...``), never a student's own folder:
    a folder with an exercise file directly inside it is a student's."""
    while entries and len({e.parts[0] for e in entries}) == 1 and all(len(e.parts) > 1 for e in entries):
        if any(len(e.parts) == 2 and by_name(e.name) for e in entries):
            break
        entries = [Entry(e.parts[1:], e.path, e.origin, e.depth) for e in entries]
    return entries


# -- who submitted what ----------------------------------------------------------------------------


def add_file(intake: Intake, student: Student, entry: Entry, name: str, late: bool, staging: Staging):
    """One file of ``student``'s: a file they handed in, or an archive of them."""
    if name == MANIFEST:  # what `make submit` packed, listed next to it: nothing to grade
        return
    if name.lower().endswith(ARCHIVES):
        if entry.depth >= MAX_NESTING:
            intake.note("archive", f"{entry.origin}: an archive inside an archive inside an archive; skipped")
            return
        for inner in archive_entries(entry, staging, intake, student):
            add_file(intake, student, inner, inner.name, late, staging)
        return
    student.handed.append(Handed(name, entry.path, entry.origin, late))


def sort_out(intake: Intake, student: Student, exercises: Sequence[str]) -> None:
    """Which of ``student``'s files is graded as which exercise (``graders.matching``); the rest noted
    for the TA, but for files of exercises outside the assignment (counted for the class: bulk.run)."""
    student.matching = match(student.handed, exercises)
    student.files = student.matching.files()
    duplicates: dict[str, list[str]] = {}
    for ignored in student.matching.ignored:
        if ignored.why == "duplicate":
            duplicates.setdefault(ignored.exercise_id, []).append(ignored.file.origin)
        elif ignored.why == "not_gradable":
            intake.note("unknown", f"{ignored.file.origin}: not an exercise file (.py or .ipynb); skipped")
        elif ignored.why == "unmatched":
            intake.note("unknown", f"{ignored.file.origin}: neither its name nor its code tells its exercise; skipped")
    for exercise_id, others in sorted(duplicates.items()):
        intake.note(
            "duplicate",
            f"{who(student)} handed in {len(others) + 1} files for {exercise_id}: graded "
            f"{student.files[exercise_id].origin} (the latest revision, a .py before a notebook, then the first "
            f"by name); not graded: {', '.join(others)}",
        )


def who(student: Student) -> str:
    return student.key if student.name in ("", student.key) else f"{student.name} ({student.key})"


def one_submission(archive: Entry, entries: list[Entry]) -> list[Entry]:
    """A student's own `make submit` zip (its manifest at the top) read as a folder named after the
    zip: ``alice.zip`` holds alice's files. Any other archive's entries as they are."""
    if not any(len(e.parts) == len(archive.parts) and e.name == MANIFEST for e in entries):
        return entries
    student = PurePosixPath(archive.name).stem
    return [
        Entry((*archive.parts[:-1], student, *e.parts[len(archive.parts) - 1 :]), e.path, e.origin, e.depth)
        for e in entries
    ]


def flat_layout(names: list[str]) -> re.Pattern[str] | None:
    """The LMS layout of an export's flat files, decided once for the whole export: the one that reads
    the most of its names. Every name the LMS wrote begins with its fields, so the LMS's own layout
    reads them all; another layout can read a name only through what a student called their file
    (``x_9999_assignsubmission_file_ex01_my_model.py`` uploaded to Canvas), never the whole class's."""
    best = max(FLAT_LAYOUTS, key=lambda layout: sum(1 for name in names if layout.match(name)))
    return best if any(best.match(name) for name in names) else None


def read_export(intake: Intake, entries: list[Entry], staging: Staging) -> None:
    """One export's files: a folder per student, or flat files in one LMS's layout. A class's archive
    lying among them is an export of its own."""
    layout = flat_layout([entry.name for entry in entries if len(entry.parts) == 1])
    for entry in entries:
        if len(entry.parts) > 1:
            folder = entry.parts[0]
            moodle = MOODLE_FOLDER.match(folder)
            student = intake.student(moodle["user"], moodle["name"]) if moodle else intake.student(folder, folder)
            add_file(intake, student, entry, entry.name, False, staging)
            continue
        lms = layout.match(entry.name) if layout else None
        if lms:
            student = intake.student(lms["user"], lms["name"])
            add_file(intake, student, entry, lms["file"], bool(lms.groupdict().get("late")), staging)
        elif entry.name.lower().endswith(ARCHIVES) and entry.depth < MAX_NESTING:
            # The class's own archive, lying in the folder: its contents are the class.
            inner = archive_entries(entry, staging, intake, None)
            read_export(intake, unwrap(one_submission(entry, inner)), staging)
        else:
            intake.note(
                "unknown",
                f"{entry.origin}: cannot tell whose file this is (expected a folder per student, or an LMS "
                "export's names such as name_12345_67890_ex01_my_model.py); skipped",
            )


def discover(source: Path, staging_folder: Path, exclude: Path | None = None, exercises: Sequence[str] = ()) -> Intake:
    """The students and files in ``source`` (a folder or a .zip), leaving out the folder ``exclude``;
    each student's files matched to ``exercises`` (the assignment; by default every exercise)."""
    intake, staging = Intake(), Staging(staging_folder)
    staging.reset()
    if source.is_dir():
        entries = folder_entries(source, intake, exclude)
    else:
        whole = Entry((name_text(source.name),), source, name_text(source.name))
        entries = one_submission(whole, archive_entries(whole, staging, intake, None))  # its root is the class's
    read_export(intake, unwrap(entries), staging)
    for key in sorted(intake.students):
        sort_out(intake, intake.students[key], exercises or registry.ids())
    return intake
