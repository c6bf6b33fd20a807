"""The catalog of outlines: every exercise's title, hints and checks as its spec has them, read
without importing the specs; made again from them when forwardpass's code changed or the file is
damaged."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graders import catalog, fingerprint, registry


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty catalog folder of the test's own, and no outlines remembered by this process."""
    monkeypatch.setattr(catalog, "FOLDER", tmp_path)
    catalog.outlines.cache_clear()
    yield tmp_path
    catalog.outlines.cache_clear()


def test_the_catalog_holds_every_exercise_s_outline_as_its_spec_has_it(folder: Path) -> None:
    specs = {exercise_id: exercise.outline() for exercise_id, exercise in registry.load_all().items()}
    made = catalog.outlines()
    assert [path.name for path in folder.iterdir()] == [catalog.path().name]
    read = catalog.load(catalog.path())
    assert made == read == specs
    assert list(read) == list(registry.ids())
    ex01 = read["ex01_my_model"]
    assert {check.visibility for check in ex01.checks} == {"public", "hidden"}
    assert ex01.max_score(include_hidden=False) == registry.get("ex01_my_model").max_score(include_hidden=False)
    assert ex01.hint_order(["conv2"]) == registry.get("ex01_my_model").hint_order(["conv2"])


def test_a_stale_or_damaged_catalog_is_made_again(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fingerprint, "code", lambda: "before")
    catalog.outlines()
    monkeypatch.setattr(fingerprint, "code", lambda: "after")
    catalog.outlines.cache_clear()
    made = catalog.outlines()
    assert [path.name for path in folder.iterdir()] == ["outlines-after.json"], "the stale catalog is gone"

    (folder / "outlines-after.json").write_text('{"ex01_my_model": {"id": "ex01_my_model"}}')
    assert catalog.load(folder / "outlines-after.json") is None
    catalog.outlines.cache_clear()
    assert catalog.outlines() == made and catalog.load(folder / "outlines-after.json") == made


def test_the_fingerprint_of_the_code_changes_with_any_file_of_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "graders"
    shutil.copytree(fingerprint.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(fingerprint, "PACKAGE", package)
    before = fingerprint.code()
    assert before == fingerprint.code()
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "cli.cpython-311.pyc").write_bytes(b"compiled")
    assert fingerprint.code() == before, "a cache is not code"
    spec = package / "exercises" / "ex01_my_model.py"
    spec.write_text(spec.read_text() + "# an edit\n")
    edited = fingerprint.code()
    assert edited != before
    spec.rename(spec.with_name("ex01_renamed.py"))
    assert fingerprint.code() not in (before, edited)
