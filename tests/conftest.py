"""Shared fixtures: one warm engine for the whole session, and grading helpers over it."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from graders import registry
from graders.engine.client import Engine
from graders.engine.limits import Limits
from graders.grading import grade
from graders.options import Options
from graders.results import ExerciseResult
from graders.sources import Submission

# Commands the tests run grade in their own process, as with FORWARDPASS_ENGINE_SERVICE=off: a warm engine
# service started by one would outlive it, and one a developer runs must not grade the tests'. Only
# tests/test_service.py starts services, each in a folder of its own, and stops them.
SERVICE_SETTING = {"FORWARDPASS_ENGINE_SERVICE": "off"}
os.environ.update(SERVICE_SETTING)

TESTS = Path(__file__).parent
SUBMISSIONS = TESTS / "submissions"
# Honest code gets ample wall-clock time even on a loaded machine; the infinite loops among the
# test submissions are stopped by the CPU limit, which load does not stretch.
TEST_LIMITS = Limits(wall_seconds=30, cpu_seconds=3)


@dataclass(frozen=True)
class Case:
    """A test submission and what grading it must give, read from its leading comments:

    # status: failed
    # fails: conv2, parameter_count        (or: all, none)
    # message: 10 output channels           (repeatable; each must appear in a failure message)
    """

    exercise_id: str
    path: Path
    status: str
    fails: frozenset[str] | None  # None means all checks
    messages: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"{self.exercise_id}/{self.path.stem}"


def read_case(path: Path) -> Case:
    fields: dict[str, list[str]] = {}
    for line in path.read_text(errors="replace").splitlines():
        match = re.match(r"#\s*(status|fails|message):\s*(.*)", line)
        if match:
            fields.setdefault(match.group(1), []).append(match.group(2).strip())
        elif line.strip() and not line.startswith("#"):
            break
    if "status" not in fields or "fails" not in fields:
        raise ValueError(f"{path}: needs '# status:' and '# fails:' comments at the top")
    fails_text = fields["fails"][0]
    fails = (
        None
        if fails_text == "all"
        else frozenset(() if fails_text == "none" else (item.strip() for item in fails_text.split(",")))
    )
    return Case(path.parent.name, path, fields["status"][0], fails, tuple(fields.get("message", ())))


def selected_ids() -> tuple[str, ...]:
    """The exercises under test: all, or those in FORWARDPASS_TEST_EXERCISES (say "ex05,ex06")."""
    wanted = [name.strip() for name in os.environ.get("FORWARDPASS_TEST_EXERCISES", "").split(",") if name.strip()]
    return tuple(i for i in registry.ids() if not wanted or any(i.startswith(w) for w in wanted))


def all_cases() -> list[Case]:
    return [read_case(path) for path in sorted(SUBMISSIONS.glob("ex*/*.py")) if path.parent.name in selected_ids()]


@pytest.fixture(scope="session")
def engine() -> Iterator[Engine]:
    with Engine(jobs=2) as running:
        yield running


def grade_paths(
    engine: Engine,
    items: list[tuple[str, Path]],
    include_hidden: bool = True,
    limits: Limits = TEST_LIMITS,
    secret_seed: int = registry.DEFAULT_SECRET_SEED,
) -> list[ExerciseResult]:
    """Grade (exercise id, file) pairs in one parallel batch."""
    submissions = [Submission(exercise_id, path, str(path)) for exercise_id, path in items]
    return grade(submissions, engine, Options(include_hidden=include_hidden, secret_seed=secret_seed, limits=limits))


# A course sets its own secret seed, which draws the hidden checks' inputs: their sizes, names and depths
# change with it, the kinds of structure they hold do not, so every verdict holds under any seed. The
# curriculum is graded under the default seed and this other one (FORWARDPASS_TEST_SEEDS="1,2,3": others).
OTHER_SECRET_SEED = 314159


def secret_seeds() -> tuple[int, ...]:
    wanted = os.environ.get("FORWARDPASS_TEST_SEEDS", "")
    seeds = tuple(int(seed) for seed in wanted.split(",") if seed.strip())
    return seeds or (registry.DEFAULT_SECRET_SEED, OTHER_SECRET_SEED)


@pytest.fixture(scope="session", params=secret_seeds(), ids=lambda seed: f"seed{seed}")
def curriculum_results(engine: Engine, request: pytest.FixtureRequest) -> dict[Path, ExerciseResult]:
    """Every reference, every stub and every test submission, graded once with hidden checks, under
    each secret seed in turn."""
    items = [(exercise_id, registry.solution_path(registry.get(exercise_id))) for exercise_id in selected_ids()]
    items += [(exercise_id, registry.stub_path(registry.get(exercise_id))) for exercise_id in selected_ids()]
    items += [(case.exercise_id, case.path) for case in all_cases()]
    results = grade_paths(engine, items, secret_seed=request.param)
    return dict(zip((path for _, path in items), results, strict=True))


@dataclass(frozen=True)
class CanarySolutions:
    """A copy of solutions/ with a canary line in every solution region: a copy of forwardpass that
    must hold no solution code (the student kit, the Gradescope autograder) must not hold the canary.
    FORWARDPASS_SOLUTIONS=folder builds from it; the stubs it gives are the repository's."""

    folder: Path
    canary: str


@pytest.fixture(scope="session")
def canary_solutions(tmp_path_factory: pytest.TempPathFactory) -> CanarySolutions:
    import secrets

    from graders.stubs import BEGIN

    canary = f"canary-{secrets.token_hex(8)}"
    folder = tmp_path_factory.mktemp("canary") / "solutions"
    folder.mkdir()
    for path in sorted(registry.SOLUTIONS.glob("ex*.py")):
        lines = []
        for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
            lines.append(line)
            if line.strip() == BEGIN:
                lines.append(f"{line[: len(line) - len(line.lstrip())]}# {canary}\n")
        (folder / path.name).write_text("".join(lines), encoding="utf-8")
    return CanarySolutions(folder, canary)
