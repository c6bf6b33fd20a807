"""Similar submissions: students whose code for one exercise is unusually alike, for course staff.

A stage after judging that reads the submitted sources, never the observations; only report.html
shows what it finds, nothing a student is handed. copydetect does the matching, MOSS's way: it
tokenises each file (every name becomes one placeholder, every string another; comments and spacing
go, so renaming variables changes nothing), fingerprints every run of ``NOISE`` characters of what
is left wherever it stands in the file (so reordering functions changes little), and marks where
two files share fingerprints.

What every student was given, the exercise's stub, is boilerplate and never matches. So is code
many of the class share: a fingerprint in at least ``COMMON_SHARE`` of the exercise's submissions
(and in ``COMMON_MIN``) is the answer most students write, not something one copied. What is left
is each student's own code. A pair is flagged when the other's code matches at least ``threshold``
of one of the two's own code (so a copy with code added to it is still found), and they share at
least ``MIN_SHARED`` characters of it: a small exercise's short correct answer, written alike by two
students, is too little to flag them. README.md ("Similar submissions") gives what this finds and
what it flags wrongly, measured.
"""

from __future__ import annotations

import io
import itertools
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from graders import registry
from graders.sources import UnreadableSubmission, read_submission
from graders.text import clean

if TYPE_CHECKING:  # imported where used: copydetect brings matplotlib, which --no-similarity need not load
    import numpy as np
    from copydetect import CodeFingerprint

NOISE = 25  # characters of tokenised code: a shorter common run is chance (copydetect's default)
COMMON_SHARE, COMMON_MIN = 0.2, 5  # a fingerprint in this share of the submissions, and in this many
MIN_SHARED = 100  # characters of tokenised code two files must share beyond the given and the common
DEFAULT_THRESHOLD = 0.75  # the share of one's own code the other's must match
MAX_CHARACTERS = 100_000  # of one file: submissions are a few thousand


@dataclass(frozen=True)
class Handed:
    """One student's file for one exercise."""

    student: str  # as the report names them
    path: Path


@dataclass(frozen=True)
class Pair:
    exercise_id: str
    students: tuple[str, str]
    codes: tuple[str, str]
    matched: tuple[float, float]  # the share of each one's own code the other's matches
    shared: int  # characters of tokenised code both hold, beyond the given and the common
    spans: tuple[tuple[tuple[int, int], ...], tuple[tuple[int, int], ...]]  # where, in each code

    @property
    def similarity(self) -> float:
        """The share of the more matched one's own code: what the threshold is compared with."""
        return max(self.matched)


@dataclass(frozen=True)
class Group:
    """Students whose code for an exercise is alike, linked pair by pair."""

    exercise_id: str
    students: tuple[str, ...]
    pairs: tuple[Pair, ...]  # the most alike first


def source(path: Path) -> str | None:
    """The code graded for ``path`` (a notebook's code cells), as text any page can show."""
    try:
        return clean(read_submission(path).decode("utf-8", "replace"), MAX_CHARACTERS)
    except UnreadableSubmission:
        return None


def fingerprint(code: str, given: np.ndarray) -> CodeFingerprint:
    from copydetect import CodeFingerprint

    return CodeFingerprint("code.py", NOISE, 1, boilerplate=given, language="python", fp=io.StringIO(code))


def spans(slices: np.ndarray) -> tuple[tuple[int, int], ...]:
    """copydetect's matched slices (starts, then ends) as sorted, merged (start, end) spans."""
    merged: list[list[int]] = []
    for start, end in sorted(zip(slices[0].tolist(), slices[1].tolist(), strict=True)):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((start, end) for start, end in merged)


def groups_of(pairs: list[Pair]) -> list[Group]:
    """The pairs of one exercise linked into groups: A like B and B like C make one group."""
    leader: dict[str, str] = {}

    def find(student: str) -> str:
        while leader.setdefault(student, student) != student:
            student = leader[student]
        return student

    for pair in pairs:
        first, second = sorted(map(find, pair.students))
        leader[second] = first
    members: dict[str, list[str]] = {}
    for student in sorted(leader):
        members.setdefault(find(student), []).append(student)
    found = []
    for students in members.values():
        inside = sorted((p for p in pairs if p.students[0] in students), key=lambda p: (-p.similarity, p.students))
        found.append(Group(inside[0].exercise_id, tuple(students), tuple(inside)))
    return sorted(found, key=lambda g: (-g.pairs[0].similarity, g.students))


def similar_in(exercise_id: str, handed: Sequence[Handed], threshold: float) -> list[Group]:
    """The groups of students whose code for one exercise is alike."""
    import numpy as np
    from copydetect import compare_files

    stub = registry.EXERCISES.joinpath(f"{exercise_id}.py").read_text(encoding="utf-8")
    stub_hashes = np.array(sorted(fingerprint(stub, np.array([], dtype=np.int64)).hashes), dtype=np.int64)
    codes = [(h.student, code) for h in sorted(handed, key=lambda h: h.student) if (code := source(h.path))]
    beyond_stub = [fingerprint(code, stub_hashes) for _, code in codes]
    counts = Counter(value for found in beyond_stub for value in found.hashes)
    limit = max(COMMON_MIN, COMMON_SHARE * len(codes))
    common = np.array(sorted(value for value, count in counts.items() if count >= limit), dtype=np.int64)
    given = np.union1d(stub_hashes, common)
    prints = [fingerprint(code, given) for _, code in codes]  # each student's own code
    holders: dict[int, list[int]] = {}  # who holds each fingerprint: only they can be alike
    for index, found in enumerate(prints):
        for value in found.hashes:
            holders.setdefault(value, []).append(index)
    candidates = sorted({pair for indices in holders.values() for pair in itertools.combinations(indices, 2)})
    pairs = []
    for i, j in candidates:
        shared, matched, slices = compare_files(prints[i], prints[j])
        matched = (min(1.0, float(matched[0])), min(1.0, float(matched[1])))
        if shared >= MIN_SHARED and max(matched) >= threshold:
            (first_student, first_code), (second_student, second_code) = codes[i], codes[j]
            pairs.append(
                Pair(
                    exercise_id,
                    (first_student, second_student),
                    (first_code, second_code),
                    matched,
                    int(shared),
                    (spans(slices[0]), spans(slices[1])),
                )
            )
    return groups_of(pairs)


def similar_submissions(handed: Mapping[str, Sequence[Handed]], threshold: float) -> list[Group]:
    """Per exercise (in the curriculum's order), the groups of students whose code is alike."""
    found = []
    for exercise_id in sorted(handed):
        found += similar_in(exercise_id, handed[exercise_id], threshold)
    return found
