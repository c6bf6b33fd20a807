"""The course: what a course that grades for credit decides, read from its course file.

A course file (``course.toml``, made by ``python -m graders course init``) holds the hidden checks'
secret seed (random, made at init), the hint policy, the assignment's exercises with the points each
is worth, and the late penalty. It is the course's alone: git ignores it, the student kit never
holds it, and nothing handed to students repeats it.

What its students may know of it, all of it but the seed, the student kit holds as the course's
public file (``forwardpass.toml``, written by ``release``), so that the kit's own commands follow
the course's hint policy. The commands find either file and read it here, and hand the immutable
``Course`` to whatever they run; nothing else reads it. Without a course file, forwardpass is a
self-learner's: ``SELF_LEARNER``, every hint, the public default seed.
"""

from __future__ import annotations

import dataclasses
import os
import secrets
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

from graders import i18n, registry
from graders.results import ExerciseResult

HintPolicy = Literal["none", "nudge", "all"]
HINT_POLICIES: tuple[HintPolicy, ...] = get_args(HintPolicy)
FILE_NAME = "course.toml"
PUBLIC_FILE_NAME = "forwardpass.toml"  # the course without its seed, in the student kit
KEYS = {"secret_seed", "hints", "late_penalty", "language", "exercises"}


class CourseError(ValueError):
    """A course file that cannot be used; the message says what to change."""


@dataclass(frozen=True)
class Course:
    """What a course decides. ``secret_seed`` None: the course has no secret of its own."""

    secret_seed: int | None = None
    hints: HintPolicy = "all"
    # The assignment, in curriculum order, each exercise with the points it is worth; () is every
    # exercise at its checks' own points.
    exercises: tuple[tuple[str, float], ...] = ()
    late_penalty: float = 0.0  # the share of a late submission's score it loses
    # What its students read forwardpass in ("ko"), unless one of them asks otherwise by name (--lang,
    # FORWARDPASS_LANG); None: each student's locale decides.
    language: str | None = None
    path: Path | None = None  # where it was read from; None: no course file

    @property
    def listed(self) -> tuple[str, ...]:
        """The exercises the course file lists, in curriculum order (none: it lists no assignment)."""
        return tuple(exercise_id for exercise_id, _points in self.exercises)

    @property
    def assignment(self) -> tuple[str, ...]:
        """The exercises graded, in curriculum order: those listed, or every exercise."""
        return self.listed or registry.ids()

    def points(self, exercise_id: str) -> float | None:
        """What the course makes ``exercise_id`` worth; None: its checks' own points."""
        return dict(self.exercises).get(exercise_id)

    def narrowed(self, exercise_ids: Sequence[str], secret_seed: int | None) -> Course:
        """The course for an assignment of ``exercise_ids`` graded with ``secret_seed``: each exercise at
        the course's points for it, or its own."""
        worth = tuple((e, self.points(e) or exercise_points(e)) for e in registry.ids() if e in exercise_ids)
        return dataclasses.replace(self, secret_seed=secret_seed, exercises=worth)

    def public(self) -> Course:
        """What the course's students may know of it (its ``PUBLIC_FILE_NAME``): all of it but the seed,
        its assignment listed with each exercise's points."""
        return self.narrowed(self.assignment, secret_seed=None)

    def scale(self, exercise_id: str) -> float:
        """What each of the exercise's check points counts for in this course."""
        worth = self.points(exercise_id)
        return 1.0 if worth is None else worth / exercise_points(exercise_id)

    def weigh(self, result: ExerciseResult) -> ExerciseResult:
        """``result`` in the course's points: every check's points scaled alike."""
        factor = self.scale(result.id)
        if factor == 1.0:
            return result
        checks = tuple(
            dataclasses.replace(check, points=scaled(check.points, factor), max_points=scaled(check.max_points, factor))
            for check in result.checks
        )
        return dataclasses.replace(result, checks=checks)


SELF_LEARNER = Course()


def scaled(points: float, factor: float) -> float:
    return round(points * factor, 6)  # 10 points made 12: 1.2 each, not 1.2000000000000002


def counted(points: float, late_penalty: float, late: bool) -> float:
    """What a submission's points count for: all of them, less the late penalty if it came late."""
    return scaled(points, 1 - late_penalty) if late else points


def new_seed() -> int:
    """A secret seed of twelve digits, never the public default."""
    while True:
        seed = 10**11 + secrets.randbelow(9 * 10**11)
        if seed != registry.DEFAULT_SECRET_SEED:
            return seed


def exercise_points(exercise_id: str) -> float:
    """An exercise's full marks by its own checks, hidden ones included."""
    return registry.get(exercise_id).max_score(include_hidden=True)


def initial(
    hints: HintPolicy = "nudge",
    exercises: tuple[str, ...] = (),
    late_penalty: float = 0.0,
    seed: int | None = None,
    language: str | None = None,
) -> Course:
    """A new course: a fresh secret seed, and each exercise at its own points."""
    chosen = exercises or registry.ids()
    worth = tuple((exercise_id, exercise_points(exercise_id)) for exercise_id in chosen)
    return Course(seed if seed is not None else new_seed(), hints, worth, late_penalty, language)


def number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def render(course: Course) -> str:
    """The course file's text: every setting with a comment that says what it does. A course without a
    seed is the public file of a student kit, and says so."""
    private = [
        "# forwardpass course file, made by `python -m graders course init`.",
        "# Keep it private: its secret seed decides the hidden checks' inputs, and whoever has it can compute",
        "# them. Never hand it, or a copy of it, to students (forwardpass's .gitignore keeps course.toml out of git).",
        "",
        "# The hidden checks' inputs come from this number (the public default would let anyone compute them).",
        f"secret_seed = {course.secret_seed}",
    ]
    public = [
        "# What your course decided that its students may know, written into the student kit by `make release`:",
        "# `make check`, `make hint` and `make watch` follow it. Your course grades what you hand in with its own copy",
        "# and a secret seed: changing this file changes nothing of your grade.",
    ]
    lines = [
        *(public if course.secret_seed is None else private),
        "",
        '# What students are shown of the hints: "none"; "nudge", the first hint of the check that failed first,',
        '# in words; or "all", every hint, as a self-learner has them.',
        f'hints = "{course.hints}"',
        "",
        "# The share of its score a late submission loses (0.1 takes a tenth off; 0, nothing).",
        f"late_penalty = {number_text(course.late_penalty)}",
        "",
        f"# The language of what students read ({', '.join(i18n.LANGUAGES)}): reports, hints, the kit's stubs, the",
        "# notebooks. A student may ask for another (--lang, FORWARDPASS_LANG); without it, their locale decides.",
        f'language = "{course.language}"' if course.language else '# language = "ko"',
        "",
        "# The assignment: each exercise to grade, with the points it is worth (its checks' points are scaled",
        "# to them). Delete a line to leave an exercise out.",
        "[exercises]",
        *(f"{exercise_id} = {number_text(points)}" for exercise_id, points in course.exercises),
    ]
    return "\n".join(lines) + "\n"


def read(path: Path) -> Course:
    """The course in the file ``path``; one named ``PUBLIC_FILE_NAME`` is a kit's, without a seed."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CourseError(f"cannot read the course file {path}: {error.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise CourseError(f"the course file {path} is not valid TOML: {error}") from None
    return parse(data, path)


def parse(data: dict[str, Any], path: Path) -> Course:
    unknown = sorted(set(data) - KEYS)
    if unknown:
        raise CourseError(
            f"{path}: unknown setting(s) {', '.join(unknown)}; the settings are {', '.join(sorted(KEYS))}"
        )
    seed = data.get("secret_seed")
    if path.name == PUBLIC_FILE_NAME:
        if "secret_seed" in data:
            raise CourseError(f"{path}: a course's public file holds no secret_seed; it belongs in {FILE_NAME} alone")
    elif not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise CourseError(f"{path}: secret_seed must be a whole number of at least 0 (`course init` makes one)")
    hints = data.get("hints", "all")
    if hints not in HINT_POLICIES:
        raise CourseError(f"{path}: hints must be one of {', '.join(HINT_POLICIES)}, not {hints!r}")
    penalty = data.get("late_penalty", 0.0)
    if not isinstance(penalty, int | float) or isinstance(penalty, bool) or not 0 <= penalty <= 1:
        raise CourseError(f"{path}: late_penalty must be a number from 0 to 1, not {penalty!r}")
    language = data.get("language")
    if language is not None and (not isinstance(language, str) or i18n.language_code(language) is None):
        raise CourseError(f"{path}: language must be one of {', '.join(i18n.LANGUAGES)}, not {language!r}")
    table = data.get("exercises", {})
    if not isinstance(table, dict):
        raise CourseError(f"{path}: [exercises] must be a table of exercise = points")
    worth = {}
    for name, points in table.items():
        exercise_id = registry.lookup(name)
        if exercise_id is None:
            raise CourseError(f"{path}: unknown exercise {name!r}; the exercises are {', '.join(registry.ids())}")
        if not isinstance(points, int | float) or isinstance(points, bool) or points <= 0:
            raise CourseError(f"{path}: the points of {name} must be a number greater than 0, not {points!r}")
        worth[exercise_id] = float(points)
    exercises = tuple((exercise_id, worth[exercise_id]) for exercise_id in registry.ids() if exercise_id in worth)
    return Course(seed, hints, exercises, float(penalty), i18n.language_code(language) if language else None, path)


def owner_only(name: str, flags: int) -> int:
    return os.open(name, flags, 0o600)


def write(course: Course, path: Path) -> None:
    """Create the course file, readable by its owner only; an existing one is never replaced."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8", opener=owner_only) as file:
        file.write(render(course))
