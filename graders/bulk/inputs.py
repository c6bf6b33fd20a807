"""Finding the students and their files in what a TA downloaded from the LMS.

Each entry at the top of the submissions folder (or .zip) is read as one of:

- a folder per student: ``alice/ex01_my_model.py`` (files at any depth; .zip files inside are opened);
- Moodle's folder per submission: ``Alice Smith_1234_assignsubmission_file_/ex01_my_model.py``;
- Canvas's flat files: ``smithalice_1234_56789_ex01_my_model.py``, late ones ``smithalice_LATE_1234_...``;
- Moodle's flat files: ``Alice Smith_1234_assignsubmission_file_ex01_my_model.py``;
- an archive of any of these (the class's .zip inside the folder).

A file belongs to an exercise by its ``exNN_`` prefix or the exercise's name, whatever the LMS added
(``ex03_containers-1.py``, ``containers (2).ipynb``). Nothing here is fatal: an unreadable archive, a
duplicate or an unknown file becomes a ``Note`` for the TA, and grading goes on.
"""

from __future__ import annotations

import re
import shutil
import stat
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Literal

from graders import registry
from graders.files import remove_tree
from graders.release.submission import MANIFEST
from graders.text import clean

NoteKind = Literal["archive", "duplicate", "unknown", "roster", "assignment"]

GRADABLE = (".py", ".ipynb")
ARCHIVES = (".zip",)
JUNK_NAMES = {"__MACOSX", "__pycache__", ".ipynb_checkpoints", "Thumbs.db", "desktop.ini"}
MAX_MEMBER_BYTES = 64 << 20  # one file inside an archive
MAX_ARCHIVE_BYTES = 2 << 30  # everything extracted from one archive
MAX_MEMBERS = 100_000
MAX_NESTING = 2  # the class's zip, and a student's own zip inside it

CANVAS = re.compile(r"^(?P<name>[^_]+?)(?P<late>_late)?_(?P<user>\d+)_(?P<submission>\d+)_(?P<file>.+)$", re.I)
MOODLE_FOLDER = re.compile(r"^(?P<name>.+?)_(?P<user>\d+)_assignsubmission_(?P<plugin>[a-z]+)_?$")
MOODLE_FILE = re.compile(r"^(?P<name>.+?)_(?P<user>\d+)_assignsubmission_(?P<plugin>[a-z]+)_(?P<file>.+)$")
REVISION = re.compile(r"(?:-(\d+)|\s*\((\d+)\))$")  # what an LMS appends to a resubmitted name
NUMBER = re.compile(r"^ex0*(\d{1,2})(?=[_\-.\s]|$)")


@dataclass(frozen=True)
class Note:
    """Something about the inputs the TA should know; grading went on without it."""

    kind: NoteKind
    text: str


@dataclass(frozen=True)
class SubmittedFile:
    exercise_id: str
    path: Path  # where its bytes are (in the staging folder when it came out of an archive)
    name: str  # its name as the student submitted it, for feedback
    origin: str  # where the TA finds it: a path under SUBMISSIONS, through archives ("class.zip:alice/...")
    late: bool = False


@dataclass
class Student:
    key: str  # stable: the LMS's user id, or the folder's name
    name: str
    aliases: set[str] = field(default_factory=set)  # what a roster may call them
    files: dict[str, SubmittedFile] = field(default_factory=dict)  # by exercise id

    @property
    def late(self) -> bool:
        return any(file.late for file in self.files.values())


@dataclass
class Intake:
    """The class as found: students by key, and notes on what could not be used."""

    students: dict[str, Student] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)

    def note(self, kind: NoteKind, text: str) -> None:
        self.notes.append(Note(kind, clean(text, 600)))

    def student(self, key: str, name: str, *aliases: str) -> Student:
        student = self.students.setdefault(key, Student(key, name))
        student.aliases.update((key, name, *aliases))
        return student


@dataclass(frozen=True)
class Entry:
    """A file of the class, wherever it lives: ``parts`` is its path inside the class."""

    parts: tuple[str, ...]
    path: Path
    origin: str
    depth: int = 0  # how many archives it came out of

    @property
    def name(self) -> str:
        return self.parts[-1]


# -- matching a file name to an exercise ---------------------------------------------------------


def revision(filename: str) -> int:
    """The number an LMS appended to a resubmitted file's name (``-2``, `` (2)``), else 0."""
    match = REVISION.search(PurePosixPath(filename).stem)
    return int(match.group(1) or match.group(2)) if match else 0


def exercise_of(filename: str) -> str | None:
    """The exercise a submitted file is for: by its ``exNN`` number, else by the exercise's name."""
    path = PurePosixPath(filename)
    if path.suffix.lower() not in GRADABLE:
        return None
    stem = REVISION.sub("", path.stem).strip().lower()
    number = NUMBER.match(stem)
    if number:
        prefix = f"ex{int(number.group(1)):02d}"
        return next((i for i in registry.ids() if i.startswith(prefix + "_")), None)
    slug = re.sub(r"[\s\-]+", "_", stem)
    return next((i for i in registry.ids() if slug in (i, i.split("_", 1)[1])), None)


def is_junk(parts: tuple[str, ...]) -> bool:
    """Files an OS or an editor leaves behind, never worth a note."""
    return any(part in JUNK_NAMES or part.startswith(".") for part in parts) or parts[-1].endswith(".pyc")


# -- listing files, through archives ------------------------------------------------------------


class Staging:
    """Where files come out of archives: one numbered folder each, so no name can escape or clash."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.count = 0

    def reset(self) -> None:
        remove_tree(self.folder)
        self.folder.mkdir(parents=True)

    def place(self, name: str) -> Path:
        self.count += 1
        folder = self.folder / f"{self.count:06d}"
        folder.mkdir()
        safe = re.sub(r"[^\w.\- ()]", "_", name)[-120:].lstrip(".") or "file"
        return folder / safe


def folder_entries(root: Path, exclude: Path | None = None) -> Iterator[Entry]:
    """The files under ``root``, except under ``exclude`` (the output folder, if the TA put it there)."""
    skipped = exclude.resolve() if exclude else None
    for path in sorted(root.rglob("*")):
        parts = path.relative_to(root).parts
        if skipped and (path.resolve() == skipped or skipped in path.resolve().parents):
            continue
        if path.is_file() and not path.is_symlink() and not is_junk(parts):
            yield Entry(parts, path, str(PurePosixPath(root.name, *parts)))


def archive_entries(archive: Entry, staging: Staging, intake: Intake) -> list[Entry]:
    """The files of a .zip, extracted into the staging folder; what cannot be read becomes a note."""
    entries, total = [], 0
    try:
        with zipfile.ZipFile(archive.path) as opened:
            members = opened.infolist()
            if len(members) > MAX_MEMBERS:
                intake.note("archive", f"{archive.origin}: {len(members):,} files; only the first {MAX_MEMBERS:,} read")
            for info in members[:MAX_MEMBERS]:
                parts = tuple(p for p in re.split(r"[/\\]", info.filename) if p not in ("", ".", ".."))
                if info.is_dir() or not parts or is_junk(parts):
                    continue
                origin = f"{archive.origin}:{'/'.join(parts)}"
                if stat.S_ISLNK(info.external_attr >> 16):
                    intake.note("archive", f"{origin}: a symbolic link, skipped")
                    continue
                if info.file_size > MAX_MEMBER_BYTES or total + info.file_size > MAX_ARCHIVE_BYTES:
                    intake.note("archive", f"{origin}: {info.file_size:,} bytes, too large to grade; skipped")
                    continue
                total += info.file_size
                target = staging.place(parts[-1])
                try:
                    with opened.open(info) as source, open(target, "wb") as copy:
                        shutil.copyfileobj(source, copy)
                except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError) as error:
                    intake.note("archive", f"{origin}: could not be extracted ({error}); skipped")
                    continue
                entries.append(Entry(archive.parts[:-1] + parts, target, origin, archive.depth + 1))
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError) as error:
        intake.note("archive", f"{archive.origin}: not a readable .zip archive ({error}); nothing in it was graded")
    return entries


def unwrap(entries: list[Entry]) -> list[Entry]:
    """Drop folders that only wrap the class (``submissions/alice/...``), never a student's own folder:
    a folder with an exercise file directly inside it is a student's."""
    while entries and len({e.parts[0] for e in entries}) == 1 and all(len(e.parts) > 1 for e in entries):
        if any(len(e.parts) == 2 and exercise_of(e.name) for e in entries):
            break
        entries = [Entry(e.parts[1:], e.path, e.origin, e.depth) for e in entries]
    return entries


# -- who submitted what ----------------------------------------------------------------------------


def add_file(intake: Intake, student: Student, entry: Entry, name: str, late: bool, found: dict, staging: Staging):
    """One file of ``student``'s: an exercise file, an archive of them, or something to note."""
    if name == MANIFEST:  # what `make submit` packed, listed next to it: nothing to grade
        return
    if name.lower().endswith(ARCHIVES):
        if entry.depth >= MAX_NESTING:
            intake.note("archive", f"{entry.origin}: an archive inside an archive inside an archive; skipped")
            return
        for inner in archive_entries(entry, staging, intake):
            add_file(intake, student, inner, inner.name, late, found, staging)
        return
    exercise = exercise_of(name)
    if exercise is None:
        intake.note("unknown", f"{entry.origin}: not an exercise file (exNN_name.py or .ipynb); skipped")
        return
    found.setdefault((student.key, exercise), []).append(SubmittedFile(exercise, entry.path, name, entry.origin, late))


def choose(candidates: list[SubmittedFile]) -> SubmittedFile:
    """Of several files for one exercise: the LMS's latest revision, a .py before a notebook, then by name."""
    return min(candidates, key=lambda f: (-revision(f.name), not f.name.endswith(".py"), f.origin))


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


def discover(source: Path, staging_folder: Path, exclude: Path | None = None) -> Intake:
    """The students and files in ``source`` (a folder or a .zip), leaving out the folder ``exclude``."""
    intake, staging = Intake(), Staging(staging_folder)
    staging.reset()
    if source.is_dir():
        entries = list(folder_entries(source, exclude))
    else:
        whole = Entry((source.name,), source, source.name)
        entries = one_submission(whole, archive_entries(whole, staging, intake))  # its root is the class's
    found: dict[tuple[str, str], list[SubmittedFile]] = {}
    pending = unwrap(entries)
    while pending:
        entry, pending = pending[0], pending[1:]
        if len(entry.parts) > 1:
            folder = entry.parts[0]
            moodle = MOODLE_FOLDER.match(folder)
            student = intake.student(moodle["user"], moodle["name"]) if moodle else intake.student(folder, folder)
            add_file(intake, student, entry, entry.name, False, found, staging)
            continue
        canvas, moodle = CANVAS.match(entry.name), MOODLE_FILE.match(entry.name)
        if moodle:
            add_file(
                intake, intake.student(moodle["user"], moodle["name"]), entry, moodle["file"], False, found, staging
            )
        elif canvas:
            student = intake.student(canvas["user"], canvas["name"])
            add_file(intake, student, entry, canvas["file"], bool(canvas["late"]), found, staging)
        elif entry.name.lower().endswith(ARCHIVES) and entry.depth < MAX_NESTING:
            # The class's own archive, lying in the folder: its contents are the class.
            pending = unwrap(one_submission(entry, archive_entries(entry, staging, intake))) + pending
        else:
            intake.note(
                "unknown",
                f"{entry.origin}: cannot tell whose file this is (expected a folder per student, or an LMS "
                "export's names such as name_12345_67890_ex01_my_model.py); skipped",
            )
    for (key, _), candidates in sorted(found.items()):
        chosen = choose(candidates)
        intake.students[key].files[chosen.exercise_id] = chosen
        if len(candidates) > 1:
            ignored = ", ".join(f.origin for f in sorted(candidates, key=lambda f: f.origin) if f is not chosen)
            intake.note(
                "duplicate",
                f"{key}: {len(candidates)} files for {chosen.exercise_id}: graded {chosen.origin}; ignored {ignored}",
            )
    return intake
