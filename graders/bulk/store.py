"""Results that survive a crash: one SQLite row per (student, exercise), written as each completes.

Each row carries the fingerprint of what was graded (the file's bytes, the exercise's grader and
reference, the options); a rerun reuses a row whose fingerprint still matches and regrades the
rest, and a result the grader itself failed to produce (``failure == "engine"``). SQLite commits
each row atomically, so a run killed at any moment (SIGKILL included) leaves
every finished result whole and no half-written one.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import time
from pathlib import Path

from graders.results import CheckResult, ExerciseResult

SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    student     TEXT NOT NULL,
    exercise    TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    result      TEXT NOT NULL,  -- ExerciseResult as JSON, with what only the TA sees
    final       INTEGER NOT NULL,  -- 0: the grader failed, not the submission; graded again next run
    graded_at   REAL NOT NULL,
    PRIMARY KEY (student, exercise)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def encode(result: ExerciseResult) -> str:
    return json.dumps(dataclasses.asdict(result), sort_keys=True)


def decode(text: str) -> ExerciseResult:
    data = json.loads(text)
    data["checks"] = tuple(CheckResult(**check) for check in data["checks"])
    return ExerciseResult(**data)


class Store:
    """The results database in the output folder; use as a context manager."""

    def __init__(self, path: Path):
        self.connection = sqlite3.connect(path, timeout=30, isolation_level=None)
        # WAL: a commit is one append, and a process killed mid-write loses nothing committed.
        self.connection.execute("PRAGMA journal_mode=WAL")
        self.connection.execute("PRAGMA synchronous=NORMAL")
        self.connection.executescript(SCHEMA)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.connection.close()

    def fingerprints(self) -> dict[tuple[str, str], str]:
        """What each final result was graded from: a rerun need not grade these again."""
        rows = self.connection.execute("SELECT student, exercise, fingerprint FROM results WHERE final")
        return {(student, exercise): fingerprint for student, exercise, fingerprint in rows}

    def put(self, student: str, exercise: str, fingerprint: str, result: ExerciseResult) -> None:
        """Store one result, replacing the student's earlier one for the exercise, in one commit."""
        final = result.failure != "engine"
        self.connection.execute(
            "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?, ?)",
            (student, exercise, fingerprint, encode(result), final, time.time()),
        )

    def results(self) -> dict[tuple[str, str], tuple[str, ExerciseResult]]:
        """Every stored result with its fingerprint, by (student, exercise)."""
        rows = self.connection.execute("SELECT student, exercise, fingerprint, result FROM results")
        return {(student, exercise): (fingerprint, decode(text)) for student, exercise, fingerprint, text in rows}

    def get_meta(self, key: str) -> str | None:
        row = self.connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.connection.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def count(self) -> int:
        return self.connection.execute("SELECT COUNT(*) FROM results").fetchone()[0]
