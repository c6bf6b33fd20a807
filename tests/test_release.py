"""The student kit (``make release``) and ``make submit``, through real processes.

The kit is built from solutions with a canary in every solution region, then really unpacked into
a temporary folder and run there: its own ``make check`` and ``make submit``, and its own
``python -m graders check --json`` on every wrong submission of the curriculum, whose results must
be those of the full repository. The kit's make reuses the repository's environment:
``make VENV=<repository>/.venv --assume-old=<repository>/.venv/.ready`` (make never reinstalls it).
"""

from __future__ import annotations

import gettext
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from conftest import SERVICE_SETTING

from graders import reference, registry, wire
from graders.bulk.inputs import discover
from graders.course import FILE_NAME, HINT_POLICIES, PUBLIC_FILE_NAME, Course, read
from graders.engine.limits import Limits
from graders.release import observations
from graders.release.kit import kit_files
from graders.release.submission import MANIFEST, sha256
from graders.results import RunResult
from graders.stubs import stub_for

VENV = registry.ROOT / ".venv"
WRONG = sorted((registry.ROOT / "tests" / "submissions").glob("ex*/wrong_*.py"))
COURSE_EXERCISE = "ex03_containers"
# Fails parameter_count first: its first hint is one of several that the checks it fails are tied to.
COURSE_WRONG = registry.ROOT / "tests" / "submissions" / COURSE_EXERCISE / "wrong_plain_list.py"


def plain_environment(**extra: str) -> dict[str, str]:
    """The environment of a student's shell: nothing of forwardpass's own settings."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("FORWARDPASS_", "PYTHON"))}
    return {**keep, "NO_COLOR": "1", **SERVICE_SETTING, **extra}


def make(folder: Path, *targets: str) -> subprocess.CompletedProcess[str]:
    command = ["make", "--no-print-directory", *targets, f"VENV={VENV}", f"--assume-old={VENV / '.ready'}"]
    return subprocess.run(command, cwd=folder, env=plain_environment(), capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory, canary_solutions) -> dict:
    root = tmp_path_factory.mktemp("release")
    target = root / "student-kit.zip"
    built = subprocess.run(
        [sys.executable, "-m", "graders", "release", "--out", str(target)],
        cwd=registry.ROOT,
        env={**os.environ, "FORWARDPASS_SOLUTIONS": str(canary_solutions.folder)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    with zipfile.ZipFile(target) as archive:
        files = {info.filename: archive.read(info) for info in archive.infolist() if not info.is_dir()}
        archive.extractall(root / "unpacked")
    return {"built": built, "files": files, "folder": root / "unpacked" / "forwardpass", "root": root}


def test_the_kit_holds_stubs_engine_public_checks_and_observations_but_no_solution(kit, canary_solutions) -> None:
    files = kit["files"]
    assert "exactly the public ones" in kit["built"].stdout
    assert all(name.startswith("forwardpass/") for name in files)
    names = {name.removeprefix("forwardpass/") for name in files}
    assert {"Makefile", "README.md", "requirements.txt", "graders/cli.py", "graders/engine/sandbox.py"} <= names
    assert not any(name.startswith(("solutions/", "tests/", ".cache/")) for name in names)
    for exercise_id in registry.ids():
        stub = registry.stub_path(registry.get(exercise_id)).read_text(encoding="utf-8")
        assert files[f"forwardpass/exercises/{exercise_id}.py"].decode() == stub
        assert files[f"forwardpass/stubs/{exercise_id}.py"].decode() == stub
        assert f"references/{exercise_id}.public.obs" in names
    assert not [name for name in names if ".seed-" in name]
    for name, data in files.items():
        assert canary_solutions.canary.encode() not in data, f"solution code in {name}"
    requirements = files["forwardpass/requirements.txt"].decode()
    assert "torch==2.13.0\n" in requirements and "nbgrader" not in requirements


def test_no_hidden_check_is_in_the_kit(kit) -> None:
    text = "\n".join(data.decode(errors="replace") for data in kit["files"].values())
    for exercise in registry.load_all().values():
        public = {key for check in exercise.selected_checks(include_hidden=False) for key in check.needs}
        hidden = [check for check in exercise.checks if check.visibility == "hidden"]
        for check in hidden:
            assert re.search(rf"\b{re.escape(check.id)}\b", text) is None, f"hidden check {exercise.id}.{check.id}"
            assert check.title not in text, f"hidden check title of {exercise.id}.{check.id}"
        spec = kit["files"][f"forwardpass/graders/exercises/{exercise.id}.py"].decode()
        assert "p.hidden" not in spec and "secret=True" not in spec
        assert re.search(r"\.check\([^)]*hidden=True", spec) is None
        shipped = wire.decode(kit["files"][f"forwardpass/references/{exercise.id}.public.obs"])
        hidden_only = {key for check in hidden for key in check.needs} - public
        assert hidden_only and not hidden_only & set(shipped.values), f"{exercise.id}: hidden observations shipped"
        assert public <= set(shipped.values)


def test_make_check_in_the_unpacked_kit_runs_its_own_code(kit) -> None:
    folder = kit["folder"]
    where = subprocess.run(
        [str(VENV / "bin" / "python"), "-c", "import graders.reference as r; print(r.__file__, r.SHIPPED)"],
        cwd=folder,
        env=plain_environment(),
        capture_output=True,
        text=True,
    )
    assert where.stdout.split() == [str(folder / "graders" / "reference.py"), str(folder / "references")]
    assert not (folder / "solutions").exists()
    result = make(folder, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    for exercise_id in registry.ids():
        assert re.search(rf"{exercise_id}\s+not started\s+0/\d+", result.stdout), exercise_id
    assert "0/14 done" in result.stdout and "make hint EX=01" in result.stdout
    targets = re.findall(r"^  make (\S+)", make(folder, "help").stdout, flags=re.M)
    assert targets == ["help", "check", "hint", "watch", "reset", "submit", "clean"]


def test_make_reset_in_the_kit_restores_the_stub_it_ships(kit) -> None:
    exercise = kit["folder"] / "exercises" / "ex05_activation_recorder.py"
    stub = exercise.read_text()
    exercise.write_text("# my attempt\n")
    result = make(kit["folder"], "reset", "EX=05")
    assert result.returncode == 0, result.stdout + result.stderr
    assert exercise.read_text() == stub
    (backup,) = (kit["folder"] / ".forwardpass" / "backups").iterdir()
    assert backup.read_text() == "# my attempt\n"


def test_check_all_in_the_kit_says_the_hidden_checks_are_the_course_s(kit) -> None:
    command = [str(VENV / "bin" / "python"), "-m", "graders", "check", "exercises/ex01_my_model.py"]
    public, everything = (
        subprocess.run(command + extra, cwd=kit["folder"], env=plain_environment(), capture_output=True, text=True)
        for extra in ([], ["--all"])
    )
    assert public.returncode == everything.returncode == 1, everything.stderr
    assert "--all ran no hidden checks" not in public.stdout
    assert "--all ran no hidden checks: this copy of forwardpass has none. They are your course's" in everything.stdout
    assert everything.stdout.count("✗") == public.stdout.count("✗") > 0


def test_the_kit_gives_the_repositorys_public_results_on_every_wrong_submission(kit, engine, tmp_path) -> None:
    from graders.grading import grade
    from graders.options import Options
    from graders.sources import Submission

    copies = tmp_path / "wrong"
    copies.mkdir()
    submissions = []
    for path in WRONG:
        exercise_id = path.parent.name
        copy = copies / f"{exercise_id.split('_')[0]}_{path.name}"
        shutil.copyfile(path, copy)
        submissions.append(Submission(exercise_id, copy, str(copy)))
    in_kit = subprocess.run(
        [str(VENV / "bin" / "python"), "-m", "graders", "check", str(copies), "--json"],
        cwd=kit["folder"],
        env=plain_environment(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert in_kit.returncode == 1, in_kit.stderr[-3000:]
    kit_run = json.loads(in_kit.stdout)
    repository = grade(sorted(submissions, key=lambda s: s.label), engine, Options(limits=Limits()))
    expected = RunResult(tuple(repository), "full").to_json()
    assert len(kit_run["exercises"]) == len(WRONG) > 100
    assert (kit_run["score"], kit_run["max_score"]) == (expected["score"], expected["max_score"])
    for mine, theirs in zip(kit_run["exercises"], expected["exercises"], strict=True):
        assert mine == theirs, mine["file"]


def test_make_submit_in_the_kit_packs_what_the_bulk_grader_reads(kit, tmp_path) -> None:
    folder = kit["folder"]
    exercises = folder / "exercises"
    mine = (registry.ROOT / "tests" / "submissions" / "ex01_my_model" / "correct_nn_relu_modules.py").read_bytes()
    (exercises / "ex01_my_model.py").write_bytes(mine)
    result = make(folder, "submit")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Packed 14 files into submission.zip (forwardpass " in result.stdout
    assert re.search(r"public checks: 10/\d+\.", result.stdout)
    with zipfile.ZipFile(folder / "submission.zip") as archive:
        packed = {name: archive.read(name) for name in archive.namelist()}
    listing = json.loads(packed.pop(MANIFEST))
    assert set(packed) == {f"{exercise_id}.py" for exercise_id in registry.ids()}
    assert listing["forwardpass"] and set(listing["files"]) == set(packed)
    assert all(listing["files"][name]["sha256"] == sha256(data) for name, data in packed.items())
    assert packed["ex01_my_model.py"] == mine

    # As an LMS export holds it: a folder per student, Canvas's flat names, or a zip named after its student.
    course = tmp_path / "course"
    (course / "alice").mkdir(parents=True)
    shutil.copyfile(folder / "submission.zip", course / "alice" / "submission.zip")
    shutil.copyfile(folder / "submission.zip", course / "doebob_LATE_1234_5678901_submission.zip")
    shutil.copyfile(folder / "submission.zip", course / "carol.zip")
    for source in (course, folder / "submission.zip"):
        intake = discover(source, tmp_path / "staging")
        assert intake.notes == []
        for student in intake.students.values():
            assert sorted(student.files) == list(registry.ids())
            assert student.files["ex01_my_model"].path.read_bytes() == mine
    assert {s.name for s in discover(course, tmp_path / "staging").students.values()} == {"alice", "doebob", "carol"}


@pytest.fixture(scope="module", params=HINT_POLICIES)
def course_kit(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The kit of a course of one exercise whose hint policy is ``request.param``, unpacked, with a wrong
    submission in place of the exercise's stub."""
    policy = request.param
    root = tmp_path_factory.mktemp(f"course-kit-{policy}")
    course_file = root / FILE_NAME
    for command in (
        ("course", "init", "--hints", policy, "--exercises", COURSE_EXERCISE),
        ("release", "--out", str(root / "student-kit.zip")),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "graders", *command, "--course-file", str(course_file)],
            cwd=registry.ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stdout + done.stderr
    with zipfile.ZipFile(root / "student-kit.zip") as archive:
        files = {info.filename: archive.read(info) for info in archive.infolist() if not info.is_dir()}
        archive.extractall(root / "unpacked")
    folder = root / "unpacked" / "forwardpass"
    shutil.copyfile(COURSE_WRONG, folder / "exercises" / f"{COURSE_EXERCISE}.py")
    return {"policy": policy, "course": read(course_file), "files": files, "folder": folder}


def words(text: str) -> str:
    return " ".join(text.split())


def test_a_courses_kit_holds_what_its_students_may_know_but_neither_its_seed_nor_its_course_file(course_kit) -> None:
    files, course = course_kit["files"], course_kit["course"]
    assert not any(name.endswith(FILE_NAME) for name in files)
    public = tomllib.loads(files[f"forwardpass/{PUBLIC_FILE_NAME}"].decode())
    assert "secret_seed" not in public
    points = registry.get(COURSE_EXERCISE).max_score(include_hidden=True)
    assert public == {"hints": course_kit["policy"], "late_penalty": 0, "exercises": {COURSE_EXERCISE: points}}
    assert not any(str(course.secret_seed).encode() in data for data in files.values())


def test_a_courses_kit_checks_and_hints_as_its_policy_says(course_kit) -> None:
    folder, policy = course_kit["folder"], course_kit["policy"]
    checked = make(folder, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr  # make check reports; it does not fail
    report = words(checked.stdout)
    assert "registers 0 parameters (none); the reference registers 873" in report  # the first check that fails
    assert ("Hint:" in report) == (policy != "none")
    assert ("Stuck? `make hint EX=03`" in report) == (policy != "none")

    exercise = registry.get(COURSE_EXERCISE)
    assert "parameter_count" in exercise.hints[0].checks and "linear_layers" in exercise.hints[1].checks
    texts = [words(hint.text) for hint in exercise.hints]
    asked = [make(folder, "hint", "EX=03") for _attempt in range(2)]
    assert all(answer.returncode == 0 for answer in asked), [answer.stderr for answer in asked]
    shown = [[text in words(answer.stdout) for text in texts] for answer in asked]
    first, second = [True, False, False], [False, True, False]
    expected = {"none": [[False] * 3] * 2, "nudge": [first, first], "all": [first, second]}
    assert shown == expected[policy], [answer.stdout for answer in asked]


def test_a_courses_kit_shows_the_editors_test_panel_the_checks_messages_as_its_policy_says(course_kit) -> None:
    panel = subprocess.run(
        [str(VENV / "bin" / "python"), "-m", "pytest", "-p", "no:cacheprovider", "exercises/"],
        cwd=course_kit["folder"],
        env=plain_environment(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert panel.returncode == 1, panel.stdout + panel.stderr
    output = words(panel.stdout)
    assert "registers 0 parameters (none); the reference registers 873" in output
    assert ("Hint:" in output) == (course_kit["policy"] != "none")


def test_shipped_observations_are_read_only_where_solutions_are_absent(tmp_path, monkeypatch) -> None:
    exercise = registry.get("ex01_my_model")
    monkeypatch.setattr(reference, "SHIPPED", tmp_path)
    missing = reference.load_shipped(exercise, 5)
    assert isinstance(missing, reference.ReferenceFailed) and "no shipped observations" in str(missing)
    (tmp_path / "ex01_my_model.public.obs").write_bytes(b"not observations")
    assert "unreadable" in str(reference.load_shipped(exercise, 5))
    values = {"output": [1, 2]}
    (tmp_path / "ex01_my_model.seed-5.obs").write_bytes(wire.encode({"values": values, "errors": {}}))
    assert reference.load_shipped(exercise, 5).values == values


SPEC = '''"""A spec with every kind of hidden part."""

from graders.checks import compare_values, describe, values_match
from graders.spec import Claim, Exercise, Hint

exercise = Exercise(id="ex99_demo", title="Demo", hints=(Hint("Both.", checks=("shape", "hidden_values")),))
exercise.claims = (
    Claim("f works on any input", ("shape", "hidden_values", "again")),
    Claim("f is right", checks=["again"]),
)
SIZE = 4
HIDDEN_SIZES = (5, 6)  # only the hidden block uses these


def hidden_input(p):
    return p.randn("hidden/x", *HIDDEN_SIZES, secret=True)


@exercise.probe
def probe(p):
    p.observe("output", "f(x)", p.require("f"), p.randn("x", SIZE))
    if p.hidden:
        p.observe("hidden_output", "f(x) on a hidden input", p.require("f"), hidden_input(p))


@exercise.check(points=1, concept="forward", needs=("output",))
def shape(s, r):
    """f(x) has the reference's shape"""
    return compare_values("f(x)", s["output"], r["output"])


# The hidden check and its helper.
def diagnose(s):
    return describe(s)


@exercise.check(points=2, concept="forward", needs=("hidden_output",), hidden=True)
def hidden_values(s, r):
    """f(x) is right on hidden inputs"""
    return compare_values("f(x)", s["hidden_output"], r["hidden_output"], shape(s, r) and diagnose(s), hidden=True)


exercise.check(points=1, concept="forward", needs=("output",), hidden=True, id="again", title="again")(
    lambda s, r: values_match(s, r)
)
'''


def test_strip_cuts_every_hidden_part_and_what_only_they_used() -> None:
    from graders.release.strip import StripError, strip_hidden

    text, removed = strip_hidden(SPEC, "ex99_demo.py")
    assert removed == {"hidden_values", "again"}
    for gone in ("p.hidden", "hidden_input", "HIDDEN_SIZES", "diagnose", "describe", "values_match", "again", "# The"):
        assert gone not in text, gone
    assert 'checks=("shape",)' in text and "def shape(s, r):" in text and "SIZE = 4" in text
    assert 'Claim("f works on any input", ("shape",))' in text and 'Claim("f is right", checks=[])' in text
    assert "from graders.checks import compare_values\n" in text
    compile(text, "ex99_demo.py", "exec")

    only_hidden = SPEC.replace('    p.observe("output", "f(x)", p.require("f"), p.randn("x", SIZE))\n', "")
    assert "    pass\n" in strip_hidden(only_hidden, "ex99_demo.py")[0]
    with pytest.raises(StripError, match="else"):
        strip_hidden(SPEC.replace("hidden_input(p))\n", "hidden_input(p))\n    else:\n        pass\n", 1))


def test_strip_cuts_names_bound_together_changed_later_or_reached_only_through_each_other() -> None:
    from graders.release.strip import StripError, strip_hidden

    spec = SPEC.replace(
        "SIZE = 4\n",
        """SIZE, DEPTH = 4, 2  # DEPTH: only the hidden block reads it, but SIZE is public: the line stays
WIDTH, HEIGHT = 7, 9
EXTRA = [1]
EXTRA += [2]
EXTRA[0] = 3
LIMITS = {}
LIMITS["hidden"] = 5


def ping(n):
    return pong(n - 1) if n else 0


def pong(n):
    return ping(n)
""",
    ).replace(
        'return p.randn("hidden/x", *HIDDEN_SIZES, secret=True)',
        'return p.randn("hidden/x", WIDTH, HEIGHT + DEPTH + ping(2) + len(EXTRA) + LIMITS["hidden"], secret=True)',
    )
    assert "WIDTH, HEIGHT + DEPTH" in spec
    text, removed = strip_hidden(spec, "ex99_demo.py")
    assert removed == {"hidden_values", "again"}
    for gone in ("WIDTH", "HEIGHT", "EXTRA", "LIMITS", "ping", "pong", "hidden_input"):
        assert gone not in text, gone
    assert "SIZE, DEPTH = 4, 2" in text and "def shape(s, r):" in text
    compile(text, "ex99_demo.py", "exec")

    public_reads_hidden = SPEC.replace(
        'return compare_values("f(x)", s["output"]', 'return hidden_values(s, r) or compare_values("f(x)", s["output"]'
    )
    with pytest.raises(StripError, match="reads hidden_values, which the cuts removed"):
        strip_hidden(public_reads_hidden, "ex99_demo.py")


def test_a_manifest_tells_the_packed_files_from_changed_added_or_missing_ones() -> None:
    from graders.release.submission import changed_files, manifest, read_manifest

    listing = read_manifest(
        json.dumps(manifest({"ex01_my_model.py": b"one", "ex02_init_vs_forward.py": b"two"})).encode()
    )
    assert (
        listing is not None
        and changed_files(listing, {"ex01_my_model.py": b"one", "ex02_init_vs_forward.py": b"two"}) == []
    )
    edited = {"ex01_my_model.py": b"one!", "ex03_containers.py": b"three"}
    assert changed_files(listing, edited) == ["ex01_my_model.py", "ex02_init_vs_forward.py", "ex03_containers.py"]
    assert read_manifest(b"not json") is None and read_manifest(b'{"files": []}') is None


def test_a_kit_in_korean_has_its_stubs_its_makefiles_default_and_no_hidden_checks_translations() -> None:
    exercise = registry.get("ex01_my_model")
    course = Course(exercises=((exercise.id, 12.0),))
    files = kit_files(observations.public_observations([exercise]), course, "ko")
    assert files[f"exercises/{exercise.id}.py"].decode() == stub_for(registry.solution_path(exercise), "ko")
    assert "export FORWARDPASS_LANG ?= ko\n" in files["Makefile"].decode()
    catalog = gettext.GNUTranslations(io.BytesIO(files["graders/locales/ko/LC_MESSAGES/forwardpass.mo"]))
    public = [check.title for check in exercise.checks if check.visibility == "public"]
    hidden = [check.title for check in exercise.checks if check.visibility == "hidden"]
    assert all(catalog.gettext(title) != title for title in public)
    assert hidden and all(catalog.gettext(title) == title for title in hidden)
