"""The Gradescope autograder bundle (``make gradescope``), as Gradescope's specification wants it:
a zip with ``setup.sh`` and ``run_autograder`` at its root, unpacked into /autograder/source.

Beside them: the engine and the grader specs, hidden checks included (graders/); the stubs, by
which a file named otherwise is recognised (exercises/); the reference's observations under the
course's secret seed (references/), so that no solution is in the bundle; the pinned packages
grading needs (requirements.txt); and autograder.json, the assignment's exercises and the seed.
``run_autograder`` runs graders/release/autograder.py.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import graders
from graders import registry
from graders.release import observations, requirements
from graders.release.archive import write_zip
from graders.release.autograder import CONFIG
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
    secret_seed: int


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


def bundle_files(exercises: Sequence[str], found: dict, secret_seed: int) -> dict[str, bytes]:
    files: dict[str, bytes] = {name: script(name) for name in ENTRY_POINTS}
    for path in sorted((registry.ROOT / "graders").rglob("*.py")):
        if "__pycache__" not in path.parts:
            files[path.relative_to(registry.ROOT).as_posix()] = path.read_bytes()
    for exercise_id in registry.ids():
        files[f"exercises/{exercise_id}.py"] = stub_for(registry.solution_path(registry.get(exercise_id))).encode()
    with tempfile.TemporaryDirectory(prefix="forwardpass-references-") as folder:
        for path in observations.write(Path(folder), found, secret_seed):
            files[f"references/{path.name}"] = path.read_bytes()
    for name in AS_IS:
        files[name] = (registry.ROOT / name).read_bytes()
    files["requirements.txt"] = requirements.pinned_requirements(requirements.runtime(), "grading").encode()
    settings = {"forwardpass": graders.__version__, "exercises": list(exercises), "secret_seed": secret_seed}
    files[CONFIG] = (json.dumps(settings, indent=1) + "\n").encode()
    return files


def build_bundle(target: Path, exercises: Sequence[str], secret_seed: int) -> Bundle:
    """Write the autograder for an assignment of ``exercises`` to ``target``."""
    specs = [registry.get(e) for e in exercises]
    found = observations.all_observations(specs, secret_seed)
    write_zip(target, bundle_files(exercises, found, secret_seed), executable=frozenset(ENTRY_POINTS))
    points = sum(spec.max_score(include_hidden=True) for spec in specs)
    return Bundle(target, tuple(exercises), points, secret_seed)
