"""The bundled sample class: synthetic students with realistic mistakes, generated deterministically.

Each student's file for an exercise is drawn from the repository's own pool: the reference
solution and the right answers in ``tests/submissions/`` (correct), the mistakes students make
there (``wrong_*``, ``broken_*``), and the untouched stub from ``exercises/``. Stronger students
draw right answers more often; weaker ones skip the last exercises. The sample class also has
what a TA meets in a real export: late submissions, a resubmitted file (``-1``), a duplicate, a
notebook, a student's own .zip, a corrupt .zip, a stray file, one infinite loop, one attacker,
and a roster with students who handed in nothing and Canvas's Test Student.

``make grade`` grades it; ``make bench`` grades larger classes from ``generate`` alone.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from graders import registry

POOL = registry.ROOT / "tests" / "submissions"
ATTACKER = registry.ROOT / "tests" / "attacks" / "fake_results_printed.py"
INFINITE_LOOP = POOL / "ex01_my_model" / "broken_infinite_loop_forward.py"
FIXED_TIME = (2025, 1, 1, 0, 0, 0)  # every archive entry's date, so the archive's bytes never change

FIRST = (  # noqa: SIM905 - a word list reads better than forty quoted names
    "Ada Alan Amara Bo Chen Dara Elif Emeka Farah Grace Hana Ivan Jonas Kofi Lena Liam Maya Mei Nadia Noor "
    "Olek Priya Quinn Rosa Sami Tariq Uma Vera Wen Yusuf Zoe Aiko Bruno Carmen Dmitri Esme Felix Gita Hugo Ines"
).split()
LAST = (  # noqa: SIM905
    "Abara Berg Castro Dubois Eriksen Fischer Garcia Haddad Ito Jensen Kowalski Larsen Moreau Nakamura Okafor "
    "Petrov Quispe Rossi Silva Tanaka Ueda Varga Weber Xu Yilmaz Zhang"
).split()


@dataclass
class SampleStudent:
    first: str
    last: str
    user_id: int
    late: bool = False
    files: list[tuple[str, bytes]] = field(default_factory=list)  # (file name as submitted, contents)
    drawn: list[str] = field(default_factory=list)  # the kind of each file: correct, wrong, broken, stub

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def canvas_name(self) -> str:
        """Canvas's spelling in export file names: last name and first name, lower case, run together."""
        return re.sub(r"[^a-z0-9]", "", f"{self.last}{self.first}".lower())


def without_header(source: bytes) -> bytes:
    """A test submission without its leading comments (which say what it gets wrong)."""
    lines = source.decode().splitlines(keepends=True)
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    return "".join(lines).encode()


def pool(exercise_id: str) -> dict[str, list[bytes]]:
    """The exercise's files by kind: correct, wrong, broken, stub. Infinite loops are left out: each
    costs its full time limit, and the sample class has exactly one, on purpose."""
    kinds: dict[str, list[bytes]] = {"correct": [registry.SOLUTIONS.joinpath(f"{exercise_id}.py").read_bytes()]}
    for path in sorted((POOL / exercise_id).glob("*.py")):
        if "infinite_loop" in path.name:
            continue
        kinds.setdefault(path.name.split("_", 1)[0], []).append(without_header(path.read_bytes()))
    kinds["stub"] = [registry.EXERCISES.joinpath(f"{exercise_id}.py").read_bytes()]
    return kinds


def draw(rng: random.Random, kinds: dict[str, list[bytes]], skill: float) -> tuple[str, bytes]:
    roll = rng.random()
    if roll < skill:
        kind = "correct"
    elif roll < skill + (1 - skill) * 0.75:
        kind = "wrong"
    elif roll < skill + (1 - skill) * 0.9 and kinds.get("broken"):
        kind = "broken"
    else:
        kind = "stub"
    kind = kind if kinds.get(kind) else "wrong"
    return kind, rng.choice(kinds[kind])


def generate(count: int, seed: int = 5) -> list[SampleStudent]:
    """``count`` students, each with one file per exercise they attempted; the same every time."""
    rng = random.Random(seed)
    pools = {exercise_id: pool(exercise_id) for exercise_id in registry.ids()}
    students = []
    for i in range(count):
        first, last = FIRST[i % len(FIRST)], LAST[(i * 7 + i // len(FIRST)) % len(LAST)]
        student = SampleStudent(first, last, user_id=1001 + i, late=rng.random() < 0.1)
        skill = rng.uniform(0.35, 0.97)
        for position, exercise_id in enumerate(registry.ids()):
            if rng.random() < (1 - skill) * 0.3 * position / len(pools):
                continue  # ran out of time before this exercise
            kind, source = draw(rng, pools[exercise_id], skill)
            student.files.append((f"{exercise_id}.py", source))
            student.drawn.append(kind)
        students.append(student)
    return students


def notebook(source: bytes) -> bytes:
    """A .py file as a student's notebook: a title cell, then the code."""
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# My solution"]},
        {"cell_type": "code", "metadata": {}, "execution_count": 1, "outputs": [], "source": source.decode()},
    ]
    document = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(document, indent=1, sort_keys=True).encode()


def zipped(files: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            archive.writestr(zipfile.ZipInfo(name, FIXED_TIME), data)
    return buffer.getvalue()


def what_tas_meet(students: list[SampleStudent]) -> None:
    """The irregular cases of a real export, each given to one student of the class."""
    files = lambda s: dict(s.files)  # noqa: E731
    ada, alan, amara, bo, chen, dara, elif_, emeka = students[:8]
    ada.files = [(f"{n[:-3]}-1.py", d) if n.startswith("ex03") else (n, d) for n, d in ada.files]  # resubmitted
    alan.files.append(("ex02_init_vs_forward (2).py", files(alan).get("ex02_init_vs_forward.py", b"")))  # a duplicate
    amara.files = [
        (n.replace(".py", ".ipynb"), notebook(d)) if n.startswith("ex01") else (n, d) for n, d in amara.files
    ]
    bo.files = [("exercises.zip", zipped(bo.files))]  # handed in one archive of everything
    chen.files.append(("exercises.zip", b"PK\x03\x04 this upload was cut short"))  # a corrupt archive
    dara.files.append(("notes.txt", b"I found ex05 hard.\n"))  # not an exercise
    elif_.files = [(n, INFINITE_LOOP.read_bytes()) if n.startswith("ex01") else (n, d) for n, d in elif_.files]
    emeka.first, emeka.last = "Mallory", "Attacker"
    emeka.files = [(n, ATTACKER.read_bytes()) if n.startswith("ex01") else (n, d) for n, d in emeka.files]


def canvas_zip(students: list[SampleStudent]) -> bytes:
    """The class as Canvas's "Download Submissions" gives it: one flat archive, names prefixed."""
    entries = []
    for number, student in enumerate(students):
        late = "_LATE" if student.late else ""
        for name, data in student.files:
            entries.append((f"{student.canvas_name}{late}_{student.user_id}_{70000 + number * 13}_{name}", data))
    return zipped(sorted(entries))


def roster_csv(students: list[SampleStudent], absent: int = 2) -> str:
    """Canvas's gradebook export, with ``absent`` students who never submitted anything and the
    course's Test Student (Canvas's Student View user, in every course)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Student", "ID", "SIS Login ID", "Section"])
    writer.writerow(["    Points Possible", "", "", ""])
    missing = [SampleStudent(FIRST[-1 - i], LAST[i], user_id=9001 + i) for i in range(absent)]
    for student in [*students, *missing]:
        login = f"{student.first[0]}{student.last}".lower()
        writer.writerow([f"{student.last}, {student.first}", student.user_id, login, "Lecture 1"])
    writer.writerow(["Student, Test", 9999, "e0f2a7b64c2d4a1f9c7d5e3b2a1f0e9d", "Lecture 1"])
    return out.getvalue()


def write_folders(students: list[SampleStudent], folder: Path) -> Path:
    """The class as a folder per student (the layout for a TA's own collection)."""
    for student in students:
        (folder / student.canvas_name).mkdir(parents=True, exist_ok=True)
        for name, data in student.files:
            (folder / student.canvas_name / name).write_bytes(data)
    return folder


def write_sample_class(archive: Path, count: int = 32) -> Path:
    """Write the sample class as a Canvas export (``archive``) and its roster next to it."""
    students = generate(count)
    what_tas_meet(students)
    archive.parent.mkdir(parents=True, exist_ok=True)
    archive.write_bytes(canvas_zip(students))
    archive.with_name("sample-roster.csv").write_text(roster_csv(students))
    return archive


def sample_roster(archive: Path) -> Path:
    return archive.with_name("sample-roster.csv")
