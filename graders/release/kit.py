"""The student kit (``make release``): what a student needs to do the exercises and check them,
and nothing a course keeps to itself.

In it, for the course's exercises: the stubs (made from solutions/ as ``make stubs`` makes them,
twice: in exercises/ for the student to fill in, and in stubs/ for ``make reset`` to restore), the
engine and the rest of graders/, each grader spec without its hidden parts (``strip``) and with only
the hints the course's hint policy hands out (``graders.policy``), the reference's observations for
the public checks as data files (``references/``), the course's public file (its hint policy,
exercises, points and late penalty: what the kit's own commands follow), and a Makefile, README and
requirements for a student. Not in it: solutions/, tests/, hidden checks and what they compare
against, the course file and its secret seed.

Before the zip is written, the staged kit grades the reference solutions with its own code and
its own data: each must pass every check, and the checks must be exactly the repository's public
ones, no more (a hidden check left behind) and no fewer.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import graders
from graders import i18n, registry, translations
from graders.course import PUBLIC_FILE_NAME, SELF_LEARNER, Course, HintPolicy, render
from graders.policy import shipped_hints
from graders.release import observations, requirements
from graders.release.archive import write_zip
from graders.release.strip import keep_hints, strip_hidden
from graders.stubs import stub_for

FOLDER = "forwardpass"  # what the kit unpacks into
KIT_TARGETS = ("help", "check", "hint", "watch", "reset", "submit", "clean")
STUDENT_PACKAGES = ("pytest", "pytest-timeout", "watchdog")  # the editor's test panel and `make watch`
AS_IS = (".gitignore", "pyproject.toml", "docs/SECURITY.md", "exercises/conftest.py")
README_SECTIONS = ("한국어로 사용하기", "Doing the exercises", "Submitting your work", "Installing on another machine")
README_TOP = """\
# forwardpass — the exercises

Exercises that teach PyTorch's `nn.Module`, and the checks that grade them (forwardpass {version}).

```sh
make check    # grade your exercises in exercises/ and show what to fix next
make hint     # the next hint for the exercise you are on (EX=05 for another)
make watch    # re-check the exercise you are editing every time you save it
make reset EX=05  # put back the stub of exercise 05 (yours is kept in .forwardpass/backups/)
make submit   # check, then pack your exercises into submission.zip to hand in
```

The first `make` sets up `.venv` from the pinned `requirements.txt` (a minute or two: torch is
large). You need Python 3.11 and `make`; `make PYTHON=python3.11 check` names the interpreter.
The first `make check` also leaves a grading engine warm in the background, so that the next ones
answer at once; it stops by itself after 15 minutes unused (`python -m graders engine stop` stops it
now, `FORWARDPASS_ENGINE_SERVICE=off` does without it).

These are the public checks. Your course grades what you hand in again, with hidden checks as
well: the same questions on inputs you do not see (they are not in this kit, so `--all` adds
nothing here). Write code that works for any input, not only for the public one.

A course that hands out this kit writes in `forwardpass.toml` what it decided that you may know:
how much of the hints you are shown (`hints`: `none`; `nudge`, the first hint of the check that
failed first; or `all`), its exercises and their points, and its late penalty. `make check`,
`make hint` and `make watch` follow it.

"""


class KitError(RuntimeError):
    """The kit could not be built, or failed its own verification; the message says why."""


@dataclass(frozen=True)
class Kit:
    path: Path
    files: int
    exercises: int
    public_checks: int


def readme_section(readme: str, title: str) -> str:
    """One ``## title`` section of the README, heading included."""
    match = re.search(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", readme, flags=re.S | re.M)
    if match is None:
        raise KitError(f"README.md has no section '## {title}' for the kit's README")
    return match.group(0).rstrip() + "\n"


def kit_readme() -> str:
    readme = (registry.ROOT / "README.md").read_text(encoding="utf-8")
    sections = "\n".join(readme_section(readme, title) for title in README_SECTIONS)
    return README_TOP.format(version=graders.__version__) + sections


def kit_makefile(text: str, targets: Iterable[str] = KIT_TARGETS, language: str = i18n.ENGLISH) -> str:
    """The repository's Makefile with only the rules a student uses (and the environment's); a kit in
    another language than English speaks it by default (FORWARDPASS_LANG=en asks for English)."""
    kept_targets = set(targets)
    paragraphs = []
    for paragraph in text.split("\n\n"):
        rule = re.search(r"^([a-z][\w-]*|\$\(READY\)):(?!=)", paragraph, flags=re.M)
        if rule is None or rule.group(1) in kept_targets or rule.group(1) == "$(READY)":
            paragraphs.append(paragraph)
    result = "\n\n".join(paragraphs)
    result = re.sub(r"^(\.PHONY:).*$", rf"\1 {' '.join(targets)}", result, flags=re.M)
    mentioned = re.compile(r"^#\s+make ([a-z][\w-]*)\b.*\n", flags=re.M)
    result = mentioned.sub(lambda m: m.group(0) if m.group(1) in kept_targets else "", result)
    if language != i18n.ENGLISH:
        spoken = (
            "# The language of this kit; FORWARDPASS_LANG=en (or --lang en) asks for English.\n"
            f"export FORWARDPASS_LANG ?= {language}\n"
        )
        result = result.replace("\n.DEFAULT_GOAL", "\n" + spoken + ".DEFAULT_GOAL", 1)
    return result


def kit_spec(path: Path, name: str, policy: HintPolicy) -> bytes:
    """A grader spec as the kit holds it: its public part, with the hints the policy hands out."""
    kept = shipped_hints(registry.get(path.stem), policy)
    return strip_hidden(keep_hints(path.read_text(encoding="utf-8"), kept, name), name)[0].encode()


def kit_files(public: dict, course: Course, language: str = i18n.ENGLISH) -> dict[str, bytes]:
    """Every file of the kit, by its path inside the kit; its stubs are in ``language``."""
    files: dict[str, bytes] = {}
    package = registry.ROOT / "graders"
    specs = package / "exercises"
    for path in sorted(package.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        name = path.relative_to(registry.ROOT).as_posix()
        if path.parent == specs and path.stem in registry.ids():
            if path.stem in course.assignment:
                files[name] = kit_spec(path, name, course.hints)
        else:
            files[name] = path.read_bytes()
    for exercise_id in course.assignment:
        solution = registry.solution_path(registry.get(exercise_id))
        files[f"exercises/{exercise_id}.py"] = stub_for(solution, language).encode()
        files[f"stubs/{exercise_id}.py"] = files[f"exercises/{exercise_id}.py"]  # what `make reset` restores
    with tempfile.TemporaryDirectory(prefix="forwardpass-references-") as folder:
        for path in observations.write(Path(folder), public, secret_seed=None):
            files[f"references/{path.name}"] = path.read_bytes()
    # The translations of the kit's own messages alone: the hidden checks' stay out, as their code does.
    code = {name.removeprefix("graders/"): data for name, data in files.items() if name.startswith("graders/")}
    messages = translations.message_ids(code)
    for translated in translations.translated_languages():
        catalog = translations.mo_path(translated).relative_to(registry.ROOT).as_posix()
        files[catalog] = translations.compiled(translated, messages)
    for name in AS_IS:
        files[name] = (registry.ROOT / name).read_bytes()
    makefile = (registry.ROOT / "Makefile").read_text(encoding="utf-8")
    files["Makefile"] = kit_makefile(makefile, language=language).encode()
    files["README.md"] = kit_readme().encode()
    if course != SELF_LEARNER:  # a self-learner's kit, released without a course file, has none
        files[PUBLIC_FILE_NAME] = render(course.public()).encode()
    packages = [*requirements.runtime(), *STUDENT_PACKAGES]
    files["requirements.txt"] = requirements.pinned_requirements(packages, "the student kit's packages").encode()
    return files


def verify(folder: Path, exercise_ids: tuple[str, ...]) -> int:
    """Grade the reference solutions of ``exercise_ids`` with the kit staged in ``folder``; returns its
    checks' count."""
    exercises = {exercise_id: registry.get(exercise_id) for exercise_id in exercise_ids}
    expected = {e.id: [c.id for c in e.selected_checks(include_hidden=False)] for e in exercises.values()}
    with tempfile.TemporaryDirectory(prefix="forwardpass-kit-check-") as answers:
        for exercise in exercises.values():
            Path(answers, f"{exercise.id}.py").write_bytes(registry.solution_path(exercise).read_bytes())
        environment = {k: v for k, v in os.environ.items() if not k.startswith(("FORWARDPASS_", "PYTHON"))}
        environment["FORWARDPASS_ENGINE_SERVICE"] = "off"  # no service to outlive the staged copy
        command = [sys.executable, "-m", "graders", "check", answers, "--all", "--json"]
        done = subprocess.run(command, cwd=folder, env=environment, capture_output=True, text=True, timeout=900)
    try:
        graded = {e["id"]: e for e in json.loads(done.stdout)["exercises"]}
    except (ValueError, KeyError):
        raise KitError(f"the staged kit could not grade (exit {done.returncode}):\n{done.stderr[-3000:]}") from None
    problems = []
    for exercise_id, checks in expected.items():
        result = graded.get(exercise_id)
        found = [c["id"] for c in result["checks"]] if result else []
        if found != checks:
            problems.append(f"{exercise_id}: the kit's checks are {found}; the public checks are {checks}")
        elif result["status"] != "passed":
            failed = [f"{c['id']}: {c['message']}" for c in result["checks"] if not c["passed"]]
            problems.append(f"{exercise_id}: the reference solution fails in the kit: {result['error'] or failed}")
    if problems:
        raise KitError("the staged kit does not grade as the repository does:\n" + "\n".join(problems))
    return sum(len(checks) for checks in expected.values())


def build_kit(target: Path, course: Course, language: str = i18n.ENGLISH) -> Kit:
    """Stage the kit of ``course``'s exercises, its stubs in ``language``, verify it, and write it to
    ``target`` as a zip of one folder."""
    exercises = [registry.get(exercise_id) for exercise_id in course.assignment]
    files = kit_files(observations.public_observations(exercises), course, language)
    with tempfile.TemporaryDirectory(prefix="forwardpass-kit-") as staging:
        for name, data in files.items():
            path = Path(staging, name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        public_checks = verify(Path(staging), course.assignment)
    write_zip(target, {f"{FOLDER}/{name}": data for name, data in files.items()})
    return Kit(target, len(files), len(exercises), public_checks)
