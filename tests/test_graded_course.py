"""The README's "Running a graded course", tried as a TA would, on a clean clone of this repository.

``git clone`` makes the clone (it holds what is committed); the commands of the section's first
shell block then run there one by one, as written, with this environment's Python and its
environment for make (``make VENV=<this .venv> --assume-old=...``: make never installs anything).
An LMS export is put where the section's `make grade` expects it. What each step must leave behind
is then checked: a private course file that git ignores, a kit without it, a class graded with its
seed and its rule for files, and a Gradescope autograder whose results show nothing of the hidden
checks before publication.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import stat
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from graders import registry
from graders.course import read
from graders.policy import shipped_hints

pytestmark = [pytest.mark.slow, pytest.mark.timeout(3000)]

SECTION = "Running a graded course"
VENV = registry.ROOT / ".venv"
SUBMISSIONS = registry.ROOT / "tests" / "submissions"
EXPORT = {  # Canvas's names: <name>_<user id>_<submission id>_<the student's own name>
    "doejane_1234_5678901_homework.py": SUBMISSIONS / "ex01_my_model" / "correct_nn_relu_modules.py",
    "doejane_1234_5678901_ex02_init_vs_forward.py": SUBMISSIONS / "ex02_init_vs_forward" / "wrong_hardcoded_sizes.py",
    "doejane_1234_5678901_notes.txt": b"my notes",
    "smithbob_LATE_987_5678902_ex03_containers.py": SUBMISSIONS / "ex03_containers" / "correct_sequential.py",
}


def readme_commands() -> list[str]:
    """The commands of the section's first ``sh`` block, comments left out."""
    readme = (registry.ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(rf"^## {re.escape(SECTION)}\n(.*?)(?=^## )", readme, flags=re.S | re.M)
    assert section, f"README.md has no section '## {SECTION}'"
    block = re.search(r"```sh\n(.*?)```", section.group(1), flags=re.S)
    assert block, f"the section '{SECTION}' has no sh block"
    return [line.split("#", 1)[0].strip() for line in block.group(1).splitlines() if line.split("#", 1)[0].strip()]


def as_here(command: str) -> list[str]:
    """A README command with this environment's interpreter and make's environment."""
    words = shlex.split(command)
    if words[0] == "python":
        return [sys.executable, *words[1:]]
    if words[0] == "make":
        return [*words, "--no-print-directory", f"VENV={VENV}", f"--assume-old={VENV / '.ready'}"]
    raise AssertionError(f"the walk-through runs only python and make, not: {command}")


def environment() -> dict[str, str]:
    """A TA's shell: nothing of forwardpass's own settings (the clone's course file must decide)."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("FORWARDPASS_", "PYTHON"))}
    return {**keep, "NO_COLOR": "1"}


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("graded-course")
    folder = root / "forwardpass"
    subprocess.run(["git", "clone", "--quiet", str(registry.ROOT), str(folder)], check=True, timeout=300)
    with zipfile.ZipFile(folder / "export.zip", "w") as export:
        for name, source in EXPORT.items():
            export.writestr(name, source if isinstance(source, bytes) else source.read_bytes())
    for command in readme_commands():
        done = subprocess.run(
            as_here(command), cwd=folder, env=environment(), capture_output=True, text=True, timeout=1200
        )
        assert done.returncode == 0, f"{command}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return {"folder": folder, "commands": readme_commands()}


def test_the_section_inits_releases_grades_and_builds_for_gradescope(clone: dict) -> None:
    commands = clone["commands"]
    assert [c.split()[:4] for c in commands] == [
        ["python", "-m", "graders", "course"],
        ["make", "release"],
        ["make", "grade", "SUBMISSIONS=export.zip", "OUT=grades/assignment1"],
        ["make", "gradescope"],
    ]


def test_the_course_file_is_private_and_never_tracked(clone: dict) -> None:
    folder = clone["folder"]
    course = read(folder / "course.toml")
    assert stat.S_IMODE((folder / "course.toml").stat().st_mode) == 0o600
    assert course.hints == "nudge" and course.listed == ("ex01_my_model", "ex02_init_vs_forward", "ex03_containers")
    assert course.secret_seed not in (None, registry.DEFAULT_SECRET_SEED)
    untracked = subprocess.run(["git", "status", "--porcelain"], cwd=folder, capture_output=True, text=True).stdout
    assert untracked.split() == ["??", "export.zip"], untracked  # course.toml, dist/ and grades/ are ignored


def test_the_kit_holds_the_courses_exercises_and_hints_but_not_its_file(clone: dict) -> None:
    folder = clone["folder"]
    seed = str(read(folder / "course.toml").secret_seed).encode()
    with zipfile.ZipFile(folder / "dist" / "student-kit.zip") as kit:
        files = {name.removeprefix("forwardpass/"): kit.read(name) for name in kit.namelist()}
    assert "course.toml" not in files and not any(seed in data for data in files.values())
    public = tomllib.loads(files["forwardpass.toml"].decode())  # what the kit's own check and hint follow
    assert public["hints"] == "nudge" and "secret_seed" not in public
    assert sorted(n for n in files if n.startswith("exercises/ex")) == [
        "exercises/ex01_my_model.py",
        "exercises/ex02_init_vs_forward.py",
        "exercises/ex03_containers.py",
    ]
    ex03 = files["graders/exercises/ex03_containers.py"].decode()
    assert ex03.count("    Hint(") == len(shipped_hints(registry.get("ex03_containers"), "nudge"))


def test_the_class_is_graded_with_the_courses_seed_and_its_rule_for_files(clone: dict) -> None:
    out = clone["folder"] / "grades" / "assignment1"
    gradebook = (out / "gradebook.csv").read_text().splitlines()
    assert gradebook[0].startswith("student,name,ex01_my_model,ex02_init_vs_forward,ex03_containers,total")
    jane = next((out / "students").glob("doejane*"))
    feedback = (jane / "feedback.md").read_text()
    assert "homework.py was graded as ex01_my_model: it defines MyModel." in feedback
    assert "notes.txt was not graded" in feedback
    results = json.loads((jane / "results.json").read_text())
    assert "on its public checks" in results["output"]
    # Jane's ex02 fails hidden checks only: her results.json's text above the tests cannot say so.
    public = int(registry.get("ex02_init_vs_forward").max_score(include_hidden=False))
    assert f"ex02_init_vs_forward: {public}/{public} on its public checks" in results["output"]
    assert results["score"] < sum(t["max_score"] for t in results["tests"])


def test_the_autograder_grades_with_the_courses_file_and_shows_only_public_points(clone: dict, tmp_path: Path) -> None:
    folder = clone["folder"]
    with zipfile.ZipFile(folder / "dist" / "gradescope-autograder.zip") as bundle:
        copy = tomllib.loads(bundle.read("course.toml").decode())
        bundle.extractall(tmp_path / "source")
    assert copy["secret_seed"] == read(folder / "course.toml").secret_seed and copy["hints"] == "nudge"
    (tmp_path / "submission").mkdir()
    wrong = EXPORT["doejane_1234_5678901_ex02_init_vs_forward.py"]
    (tmp_path / "submission" / "ex02.py").write_bytes(wrong.read_bytes())
    (tmp_path / "source" / "run_autograder").chmod(0o755)
    subprocess.run(
        [str(tmp_path / "source" / "run_autograder"), str(tmp_path)],
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "FORWARDPASS_PYTHON": sys.executable},
        capture_output=True,
        timeout=900,
        check=True,
    )
    document = json.loads((tmp_path / "results" / "results.json").read_text())
    visible = [t for t in document["tests"] if t["visibility"] == "visible"]
    assert visible and all(t["status"] == "passed" for t in visible if t["name"].startswith("ex02"))
    assert any(t["status"] == "failed" for t in document["tests"] if t["visibility"] == "after_published")
    public = int(registry.get("ex02_init_vs_forward").max_score(include_hidden=False))
    assert f"ex02_init_vs_forward: {public}/{public} on its public checks (ex02.py)" in document["output"]
