"""The Gradescope autograder (``make gradescope``), through real processes.

The bundle is built from solutions with a canary in every solution region, for a course file of
the test's own (its secret seed, the nudge hint policy, three exercises); each test lays out
Gradescope's /autograder tree in a temporary folder (source/ holding the unpacked bundle,
submission/, results/), runs the bundle's real ``run_autograder`` there, and validates
results.json against the fields and types of Gradescope's specification, and what a student reads
of it before grades are published against what the hidden checks gave.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from graders import registry
from graders.release.submission import pack
from graders.reporters.student import HIDDEN

SUBMISSIONS = registry.ROOT / "tests" / "submissions"
PYTHON = registry.ROOT / ".venv" / "bin" / "python"
# Gradescope's autograder specification: the keys results.json and each of its tests may have.
TOP_KEYS = {
    "score",
    "execution_time",
    "output",
    "output_format",
    "test_output_format",
    "test_name_format",
    "visibility",
    "stdout_visibility",
    "extra_data",
    "tests",
    "leaderboard",
}
TEST_KEYS = {
    "score",
    "max_score",
    "status",
    "name",
    "name_format",
    "number",
    "output",
    "output_format",
    "tags",
    "visibility",
    "extra_data",
}
VISIBILITIES = {"hidden", "after_due_date", "after_published", "visible"}
ASSIGNMENT = ("ex01_my_model", "ex02_init_vs_forward", "ex03_containers")  # what the bundle grades


def points(exercise_id: str, include_hidden: bool = True) -> int:
    """An exercise's full marks, hidden checks included (or its public checks'), as the bundle grades it."""
    return int(registry.get(exercise_id).max_score(include_hidden=include_hidden))


def number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def validate(document: dict) -> dict:
    """results.json as Gradescope's specification has it: fields, types and a consistent score."""
    assert set(document) <= TOP_KEYS, set(document) - TOP_KEYS
    assert number(document["score"]) and number(document["execution_time"]) and document["execution_time"] >= 0
    assert isinstance(document["output"], str) and document["output"]
    assert isinstance(document["tests"], list)
    for test in document["tests"]:
        assert set(test) <= TEST_KEYS, set(test) - TEST_KEYS
        assert {"name", "score", "max_score", "status", "output", "visibility"} <= set(test)
        assert isinstance(test["name"], str) and isinstance(test["output"], str) and isinstance(test["number"], str)
        assert number(test["score"]) and number(test["max_score"]) and 0 <= test["score"] <= test["max_score"]
        assert test["status"] in ("passed", "failed")
        assert test["visibility"] in VISIBILITIES
    assert document["score"] == sum(test["score"] for test in document["tests"])
    return document


def before_publication(document: dict) -> dict:
    """What a student can read of results.json before grades are published, as Gradescope shows it:
    the output above the tests, and the tests that are visible at once (the total ``score`` is
    Gradescope's record, which includes the hidden points)."""
    return {"output": document["output"], "tests": [t for t in document["tests"] if t["visibility"] == "visible"]}


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory, canary_solutions) -> dict:
    root = tmp_path_factory.mktemp("gradescope")
    seed = random.SystemRandom().randrange(10**9, 10**10)
    course = root / "course.toml"
    course.write_text(
        f'secret_seed = {seed}\nhints = "nudge"\n[exercises]\n'
        + "".join(f"{exercise_id} = {points(exercise_id)}\n" for exercise_id in ASSIGNMENT)
    )
    target = root / "gradescope-autograder.zip"
    built = subprocess.run(
        [sys.executable, "-m", "graders", "gradescope", "--course-file", str(course), "--out", str(target)],
        cwd=registry.ROOT,
        env={**os.environ, "FORWARDPASS_SOLUTIONS": str(canary_solutions.folder)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    with zipfile.ZipFile(target) as archive:
        files = {info.filename: (info, archive.read(info)) for info in archive.infolist()}
    return {"zip": target, "files": files, "seed": seed, "built": built}


@pytest.fixture
def open_folder() -> Iterator[Path]:
    """A folder any user may pass through, as /autograder is: pytest's own are its user's only, which
    would keep a sandboxed worker out whatever the autograder does."""
    folder = Path(tempfile.mkdtemp(prefix="forwardpass-gradescope-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder)


def autograde(bundle: dict, folder: Path, files: dict[str, bytes] | None, **env: str) -> tuple[dict, str]:
    """Lay out /autograder in ``folder``, run the bundle's run_autograder there, read results.json."""
    root = folder / "autograder"
    (root / "source").mkdir(parents=True)
    with zipfile.ZipFile(bundle["zip"]) as archive:
        archive.extractall(root / "source")
    for name in ("run_autograder", "setup.sh"):
        (root / "source" / name).chmod(0o755)  # zipfile does not restore modes; Gradescope does
    if files is not None:
        (root / "submission").mkdir()
        for name, data in files.items():
            (root / "submission" / name).write_bytes(data)
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "FORWARDPASS_PYTHON": str(PYTHON), **env}
    done = subprocess.run(
        [str(root / "source" / "run_autograder"), str(root)],
        cwd=folder,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    text = (root / "results" / "results.json").read_text(encoding="utf-8")
    return validate(json.loads(text)), text


def checks_of(document: dict, exercise_id: str) -> list[dict]:
    return [test for test in document["tests"] if test["name"].startswith(f"{exercise_id} · ")]


def notebook(code: str) -> bytes:
    cells = [{"cell_type": "markdown", "metadata": {}, "source": ["# My work"]}]
    cells.append({"cell_type": "code", "metadata": {}, "execution_count": 1, "outputs": [], "source": code})
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}).encode()


def test_the_bundle_has_gradescopes_entry_points_and_no_solution(bundle, canary_solutions) -> None:
    files = bundle["files"]
    for name in ("setup.sh", "run_autograder"):
        info, data = files[name]
        assert (info.external_attr >> 16) & 0o111, f"{name} is not executable"
        assert data.startswith(b"#!/usr/bin/env bash\n")
        assert subprocess.run(["bash", "-n", "-c", data.decode()], capture_output=True).returncode == 0
    setup = files["setup.sh"][1].decode()
    assert 'TORCH_VERSION="2.13.0"' in setup and 'TORCH_INDEX="https://download.pytorch.org/whl/cpu"' in setup
    assert 'PYTHON_VERSION="3.11"' in setup and "@" not in setup.replace("$@", "")
    settings = tomllib.loads(files["course.toml"][1].decode())
    assert list(settings["exercises"]) == ["ex01_my_model", "ex02_init_vs_forward", "ex03_containers"]
    assert settings["secret_seed"] == bundle["seed"] and settings["hints"] == "nudge"
    assert f"references/ex01_my_model.seed-{bundle['seed']}.obs" in files
    assert not any(name.startswith(("solutions/", "tests/")) for name in files)
    assert all(canary_solutions.canary.encode() not in data for _, data in files.values())
    assert f"{sum(map(points, ASSIGNMENT))} points" in bundle["built"].stdout


def test_any_file_names_and_a_notebook_are_graded_with_hidden_checks_after_published(bundle, open_folder) -> None:
    # The ex01 file tries to read the bundle's settings (the secret seed) and show them in its error:
    # with reduced isolation (as Gradescope's containers have it), only the files' modes stop it.
    attack = (
        "import torch.nn as nn\n\n"
        "class MyModel(nn.Module):\n"
        "    def __init__(self):\n"
        f"        raise RuntimeError(open({str(open_folder / 'autograder/source/course.toml')!r}).read())\n"
    )
    files = {
        "homework one.py": attack.encode(),
        "ex02 (1).ipynb": notebook((SUBMISSIONS / "ex02_init_vs_forward" / "correct_sequential.py").read_text()),
        "containers-2.py": (SUBMISSIONS / "ex03_containers" / "wrong_plain_list.py").read_bytes(),
        "notes.txt": b"my notes",
    }
    document, text = autograde(bundle, open_folder, files, FORWARDPASS_ISOLATION="reduced")
    assert str(bundle["seed"]) not in text, "the secret seed reached the student"
    ex01, ex02, ex03 = (checks_of(document, e) for e in ("ex01_my_model", "ex02_init_vs_forward", "ex03_containers"))
    assert len(document["tests"]) == len(ex01) + len(ex02) + len(ex03)
    assert all(t["score"] == 0 and "Permission denied" in t["output"] for t in ex01)
    full = points("ex02_init_vs_forward")
    assert all(t["status"] == "passed" for t in ex02) and sum(t["score"] for t in ex02) == full
    assert 0 < sum(t["score"] for t in ex03) < points("ex03_containers")
    hidden = [t for t in document["tests"] if t["visibility"] == "after_published"]
    assert hidden and all(t["visibility"] in ("visible", "after_published") for t in document["tests"])
    assert all(t["output"].startswith(HIDDEN) for t in hidden if t in ex02 + ex03)
    output = document["output"]
    public = points("ex02_init_vs_forward", include_hidden=False)
    assert "ex01_my_model: 0/10 on its public checks (homework one.py)" in output
    assert f"ex02_init_vs_forward: {public}/{public} on its public checks (ex02 (1).ipynb)" in output
    assert "homework one.py was graded as ex01_my_model: it defines MyModel." in output
    assert "ex03_containers: " in output and "(containers-2.py)" in output
    assert "notes.txt was not graded: only .py and .ipynb files are" in output
    assert "Hint for ex03_containers: " in output  # its public checks failed; nudge gives their first hint
    assert "Isolation: reduced: " in output


def test_the_zip_of_make_submit_is_graded_as_it_is(bundle, tmp_path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    for exercise_id, case in (("ex01_my_model", "correct_nn_relu_modules"), ("ex03_containers", "correct_sequential")):
        shutil.copyfile(SUBMISSIONS / exercise_id / f"{case}.py", mine / f"{exercise_id}.py")
    pack(sorted(mine.iterdir()), tmp_path / "submission.zip")
    document, _ = autograde(bundle, tmp_path, {"submission.zip": (tmp_path / "submission.zip").read_bytes()})
    assert document["score"] == points("ex01_my_model") + points("ex03_containers")
    assert all(t["status"] == "passed" for e in ("ex01_my_model", "ex03_containers") for t in checks_of(document, e))
    assert all(t["score"] == 0 for t in checks_of(document, "ex02_init_vs_forward"))
    output = document["output"]
    assert "ex01_my_model: 10/10 on its public checks (submission.zip:ex01_my_model.py)" in output
    public = points("ex02_init_vs_forward", include_hidden=False)
    assert f"ex02_init_vs_forward: 0/{public} on its public checks (no file found)" in output
    assert "was packed by `make submit` (forwardpass " in output and "every file as packed" in output
    assert "Isolation: " in output


def test_nothing_a_student_reads_before_publication_tells_how_the_hidden_checks_went(bundle, tmp_path) -> None:
    # The same file names, the same public results (messages included); only the hidden checks differ.
    wrong = {"ex01_my_model": "wrong_view_28x28", "ex02_init_vs_forward": "wrong_hardcoded_sizes"}
    wrong["ex03_containers"] = "wrong_fixed_depth"
    right = {e: registry.solution_path(registry.get(e)).read_bytes() for e in ASSIGNMENT}
    documents = []
    for plan in (right, {e: (SUBMISSIONS / e / f"{case}.py").read_bytes() for e, case in wrong.items()}):
        case = tmp_path / str(len(documents))
        case.mkdir()
        documents.append(autograde(bundle, case, {f"{e.split('_')[0]}.py": data for e, data in plan.items()})[0])
    passed, failed = documents
    hidden_points = sum(points(e) - points(e, include_hidden=False) for e in ASSIGNMENT)
    assert passed["score"] == sum(map(points, ASSIGNMENT)) and failed["score"] < passed["score"]
    hidden = [t for t in failed["tests"] if t["visibility"] == "after_published"]
    assert hidden and not all(t["status"] == "passed" for t in hidden)
    assert before_publication(failed) == before_publication(passed)
    assert f"Hidden checks, worth {hidden_points} more points" in failed["output"]


def test_a_missing_or_unreadable_submission_still_gives_valid_results(bundle, tmp_path) -> None:
    for files in (None, {"submission.zip": b"PK\x03\x04 not really a zip"}):
        case = tmp_path / str(len(list(tmp_path.iterdir())))
        case.mkdir()
        document, _ = autograde(bundle, case, files)
        checks = sum(len(registry.get(e).checks) for e in ("ex01_my_model", "ex02_init_vs_forward", "ex03_containers"))
        assert document["score"] == 0 and len(document["tests"]) == checks
        assert "No exercise file was found in your submission" in document["output"]
        assert all("No file for this exercise was found" in t["output"] for t in document["tests"])
        if files:
            assert "submission.zip: not a readable .zip archive" in document["output"]

    broken = tmp_path / "no-python"
    broken.mkdir()
    document, _ = autograde(bundle, broken, {"ex01_my_model.py": b""}, FORWARDPASS_PYTHON=str(broken / "python"))
    assert document["tests"] == [] and "could not start" in document["output"]


def test_the_autograder_reports_in_the_courses_language(bundle, open_folder) -> None:
    """The bundle carries the compiled catalogs; its course file's language (English here), or one asked
    for by name, is what the student reads."""
    stub = registry.stub_path(registry.get(ASSIGNMENT[0])).read_bytes()
    english, _text = autograde(bundle, open_folder / "en", {f"{ASSIGNMENT[0]}.py": stub})
    korean, _text = autograde(bundle, open_folder / "ko", {f"{ASSIGNMENT[0]}.py": stub}, FORWARDPASS_LANG="ko")
    assert "\nPublic checks:" in english["output"] and "\n공개 검사:" in korean["output"]
    assert [t["number"] for t in korean["tests"]] == [t["number"] for t in english["tests"]]
    assert any("아직 구현되지 않았습니다" in test["output"] for test in korean["tests"])
    assert 'language = "en"' in bundle["files"]["course.toml"][1].decode()
    assert "graders/locales/ko/LC_MESSAGES/forwardpass.mo" in bundle["files"]
