"""The course's roster (a CSV from the LMS), matched to the students found in the submissions.

Who is who is guessed from the columns LMSs export (Canvas's gradebook: Student, ID, SIS Login ID;
Moodle's worksheet: Identifier, Full name, Email address; or plain id/name/email). A student
matches a roster row when any identifier of theirs equals one of the row's, compared without case,
spaces or punctuation: Canvas's file name ``doejane`` is the roster's "Doe, Jane". Students on the
roster with no submission appear with 0; students not on the roster are kept and noted.

A test user is graded like anyone but counted in no statistic of the class: Canvas's Test Student
(the user of its Student View, in every course), or a row whose "Test user" column says yes. The
roster keeps its header and rows as the LMS wrote them, for the files the LMS imports back
(``graders.bulk.lms``).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

from graders.bulk.inputs import Intake, Student

ID_COLUMNS = (
    "id",
    "student id",
    "user id",
    "userid",
    "sis user id",
    "sis login id",
    "login id",
    "login",
    "username",
    "user name",
    "identifier",
    "student number",
    "email",
    "email address",
)
NAME_COLUMNS = ("name", "student", "student name", "full name", "fullname")
FIRST_COLUMNS = ("first name", "firstname", "given name")
LAST_COLUMNS = ("last name", "lastname", "surname", "family name")
SKIPPED_ROWS = {"points possible", "muted"}  # Canvas's second row, not a student
TEST_NAMES = {"teststudent", "studenttest"}  # Canvas's Test Student, as "Test Student" or "Student, Test"
TEST_COLUMNS = ("test user", "test student")
YES = {"yes", "y", "true", "1", "x"}


class RosterError(ValueError):
    """The roster cannot be read at all; the message says why."""


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    aliases: frozenset[str]
    test: bool = False  # a test user: graded, counted in no statistic


@dataclass(frozen=True)
class Roster:
    """The roster as the LMS wrote it, and the people in it."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # every row below the header, as written
    keys: tuple[str | None, ...]  # the key of each row's person; None for a row that is nobody
    people: tuple[Person, ...]


def normal(text: str) -> str:
    """``"Doe, Jane"`` -> ``"doejane"``: lowercase ASCII letters and digits only."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^0-9a-z]", "", ascii_text.lower())


def name_forms(name: str) -> set[str]:
    """The spellings of a name an LMS uses: "Jane Doe", "Doe, Jane", "doejane", "janedoe"."""
    if "," in name:
        last, _, first = name.partition(",")
    else:
        *given, last = name.split() or [""]
        first = " ".join(given)
    return {normal(name), normal(first + last), normal(last + first)} - {""}


def aliases(values: set[str]) -> frozenset[str]:
    found = set()
    for value in values:
        found |= name_forms(value)
        if "@" in value:
            found.add(normal(value.split("@", 1)[0]))
        participant = re.fullmatch(r"\s*participant\s*(\d+)\s*", value, re.I)
        if participant:
            found.add(participant.group(1))
    return frozenset(found)


def column(header: list[str], names: tuple[str, ...]) -> list[int]:
    """Indices of the header's columns named one of ``names`` (case, spacing and dashes ignored),
    in the order of ``names``: the first is the best identifier."""
    wanted = [normal(name) for name in names]
    found = [i for i, title in enumerate(header) if normal(title) in wanted]
    return sorted(found, key=lambda i: wanted.index(normal(header[i])))


def read_roster(path: Path) -> Roster:
    try:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError as error:
        raise RosterError(f"cannot read the roster {path}: {error.strerror}") from None
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel  # one column, or nothing to tell by
    # Read as one stream: a quoted cell may hold line breaks (a worksheet's earlier feedback comments).
    rows = [row for row in csv.reader(io.StringIO(text, newline=""), dialect) if any(cell.strip() for cell in row)]
    if not rows:
        raise RosterError(f"the roster {path} is empty")
    header, rows = rows[0], rows[1:]
    ids, names = column(header, ID_COLUMNS), column(header, NAME_COLUMNS)
    firsts, lasts = column(header, FIRST_COLUMNS), column(header, LAST_COLUMNS)
    tests = column(header, TEST_COLUMNS)
    if not (ids or names or (firsts and lasts)):
        ids, rows, header = [0], [header, *rows], []  # a bare list, no header: the first column identifies
    people: dict[str, Person] = {}
    keys: list[str | None] = []
    for row in rows:
        cell = lambda i, row=row: row[i].strip() if i < len(row) else ""  # noqa: E731
        name = cell(names[0]) if names else f"{cell(firsts[0])} {cell(lasts[0])}".strip() if firsts and lasts else ""
        identifiers = [cell(i) for i in ids if cell(i)]
        key = identifiers[0] if identifiers else name
        if not key or normal(name) in {normal(s) for s in SKIPPED_ROWS}:
            keys.append(None)
            continue
        keys.append(key)
        test = normal(name) in TEST_NAMES or any(cell(i).lower() in YES for i in tests)
        people.setdefault(key, Person(key, name or key, aliases({*identifiers, name, key} - {""}), test))
    return Roster(tuple(header), tuple(map(tuple, rows)), tuple(keys), tuple(people.values()))


def apply_roster(intake: Intake, roster: Roster) -> None:
    """Re-key the students found by the roster's identities; add the roster's absent students."""
    by_alias: dict[str, list[Person]] = {}
    for person in roster.people:
        for alias in person.aliases:
            by_alias.setdefault(alias, []).append(person)
    matched: dict[str, Student] = {}
    for student in sorted(intake.students.values(), key=lambda s: s.key):
        candidates = {p.key: p for a in aliases(student.aliases) for p in by_alias.get(a, ())}
        if len(candidates) != 1:
            why = "is not on the roster" if not candidates else f"matches {len(candidates)} roster rows"
            intake.note("roster", f"{student.key} ({student.name}) {why}; graded under that name")
            matched.setdefault(student.key, student)
            continue
        person = next(iter(candidates.values()))
        if person.key in matched:
            intake.note(
                "roster",
                f"{student.key} and {matched[person.key].key} both match {person.key}; "
                f"{student.key}'s files were not graded",
            )
            continue
        matched[person.key] = replace(
            student, key=person.key, name=person.name, aliases=set(person.aliases), test=person.test
        )
    for person in roster.people:
        matched.setdefault(person.key, Student(person.key, person.name, set(person.aliases), test=person.test))
    intake.students = matched
