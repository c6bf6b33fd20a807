"""The Gradescope autograder bundle (``make gradescope``), as Gradescope's specification wants it:
a zip with ``setup.sh`` and ``run_autograder`` at its root, unpacked into /autograder/source.

Beside them: the engine and the grader specs, hidden checks included, hints as the course's policy
hands them out (graders/); the stubs (exercises/); the reference's observations under the course's
secret seed (references/), so that no solution is in the bundle; the pinned packages grading needs
(requirements.txt); and the course file (``graders.course``): the assignment and its points, the
seed, the hint policy. ``run_autograder`` runs graders/release/autograder.py.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from graders import i18n, registry
from graders.course import FILE_NAME, Course, HintPolicy, render
from graders.policy import shipped_hints
from graders.release import observations, requirements
from graders.release.archive import write_zip
from graders.release.strip import keep_hints
from graders.stubs import stub_for

SCRIPTS = Path(__file__).parent / "scripts"
ENTRY_POINTS = ("setup.sh", "run_autograder")
PYTHON_VERSION = "3.11"
UV_VERSION = "0.13.9"  # only where the image has no Python 3.11 of its own
TORCH_INDEX = "https://download.pytorch.org/whl/cpu"
AS_IS = ("docs/SECURITY.md",)


@dataclass(frozen=True)
class Bundle:
    path: Path
    exercises: tuple[str, ...]
    points: float


def script(name: str) -> bytes:
    """An entry point with this forwardpass's versions filled in."""
    values = {
        "PYTHON_VERSION": PYTHON_VERSION,
        "UV_VERSION": UV_VERSION,
        "TORCH_INDEX": TORCH_INDEX,
        "TORCH_VERSION": requirements.pins()["torch"],
    }
    text = (SCRIPTS / name).read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    return text.encode()


def spec_text(path: Path, policy: HintPolicy) -> bytes:
    """A grader spec as the bundle holds it: whole, but with only the hints the policy hands out."""
    exercise_id = path.stem
    kept = shipped_hints(registry.get(exercise_id), policy)
    return keep_hints(path.read_text(encoding="utf-8"), kept, path.name).encode()


def bundle_files(course: Course, found: dict, language: str = i18n.ENGLISH) -> dict[str, bytes]:
    files: dict[str, bytes] = {name: script(name) for name in ENTRY_POINTS}
    specs = registry.ROOT / "graders" / "exercises"
    for path in sorted((registry.ROOT / "graders").rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        name = path.relative_to(registry.ROOT).as_posix()
        is_spec = path.parent == specs and path.stem in registry.ids()
        files[name] = spec_text(path, course.hints) if is_spec else path.read_bytes()
    for exercise_id in registry.ids():
        solution = registry.solution_path(registry.get(exercise_id))
        files[f"exercises/{exercise_id}.py"] = stub_for(solution, language).encode()
    with tempfile.TemporaryDirectory(prefix="forwardpass-references-") as folder:
        for path in observations.write(Path(folder), found, course.secret_seed):
            files[f"references/{path.name}"] = path.read_bytes()
    for catalog in sorted(i18n.LOCALES.glob(f"*/LC_MESSAGES/{i18n.DOMAIN}.mo")):
        files[catalog.relative_to(registry.ROOT).as_posix()] = catalog.read_bytes()
    for name in AS_IS:
        files[name] = (registry.ROOT / name).read_bytes()
    files["requirements.txt"] = requirements.pinned_requirements(requirements.runtime(), "grading").encode()
    files[FILE_NAME] = render(course).encode()
    return files


def build_bundle(target: Path, course: Course, language: str = i18n.ENGLISH) -> Bundle:
    """Write the autograder for ``course`` (its assignment, points, secret seed, hint policy) to ``target``;
    its stubs are in ``language``, and it reports in the course's language (the course file it carries)."""
    specs = [registry.get(e) for e in course.assignment]
    found = observations.all_observations(specs, course.secret_seed)
    write_zip(target, bundle_files(course, found, language), executable=frozenset(ENTRY_POINTS))
    points = sum(course.points(spec.id) or spec.max_score(include_hidden=True) for spec in specs)
    return Bundle(target, course.assignment, points)
