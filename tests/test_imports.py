"""Which folders of the import path a worker that cannot read them gets through a descriptor
(``graders.engine.imports``), and which it goes without because a descriptor would open the project."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from graders.engine import imports, sandbox
from graders.files import remove_tree


@pytest.fixture
def home() -> Iterator[Path]:
    """A private home (0700, as /root is) holding a Python installation others may read once inside,
    in a folder of /tmp others may read (pytest's own is private)."""
    world = Path(tempfile.mkdtemp(prefix="forwardpass-test-"))
    home = world / "home"
    for folder in (home / ".pyenv" / "lib" / "python3" / "lib-dynload", home / "checkout" / ".venv" / "lib"):
        folder.mkdir(parents=True)
    for folder in [world, *home.rglob("*")]:
        folder.chmod(0o755)
    home.chmod(0o700)
    yield home
    remove_tree(world)


def plan(*paths: Path) -> imports.Plan:
    return imports.plan.__wrapped__(True, tuple(str(path) for path in paths))


def test_a_runtime_under_a_private_home_is_opened_and_exposes_only_its_own_folder(home: Path) -> None:
    stdlib = home / ".pyenv" / "lib" / "python3"
    made = plan(stdlib, stdlib / "lib-dynload", home.parent)
    assert made == imports.Plan(opened=(str(stdlib),))  # lib-dynload goes through the same descriptor
    assert imports.exposed_by(stdlib) == home / ".pyenv"


def test_a_runtime_whose_descriptor_would_open_the_project_is_withheld_and_said_once(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imports, "PROJECT", home / "checkout")
    venv = home / "checkout" / ".venv" / "lib"
    made = plan(home / ".pyenv" / "lib" / "python3", venv)
    assert made.withheld == (str(venv),)
    assert str(venv) in imports.note(made.withheld) and str(home / "checkout") in imports.note(made.withheld)
    assert imports.note(()) == ""


def test_nothing_is_opened_where_others_may_read_or_at_another_level(home: Path) -> None:
    readable = home.parent
    assert plan(readable) == imports.Plan()
    assert imports.plan.__wrapped__(False, (str(home / ".pyenv" / "lib" / "python3"),)) == imports.Plan()


def test_the_isolation_report_says_once_what_the_workers_cannot_import(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    venv = str(home / "checkout" / ".venv" / "lib")
    monkeypatch.setattr(imports, "PROJECT", home / "checkout")
    monkeypatch.setattr(sandbox, "importable_paths", lambda: (venv,))
    monkeypatch.setattr(sandbox, "worker_uid", lambda slot, isolation: 1_000_000)  # as root
    reduced = sandbox.reduced("FORWARDPASS_ISOLATION=reduced was set")
    reported = sandbox.detect(reduced, home / "unused", slots=2)
    assert reported.reason == f"{reduced.reason} {imports.note((venv,))}"
    assert reported.reason.count(venv) == 1
