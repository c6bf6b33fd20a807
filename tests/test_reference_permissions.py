"""The reference's observations on disk are the grader's user's alone: at reduced isolation as root
their permissions are all that keeps a worker from reading them (tests/attacks/read_reference_cache.py
reads them where they are not)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from graders import reference, registry, wire

EXERCISE = "ex01_my_model"
SEED = 5
OTHERS = stat.S_IRWXG | stat.S_IRWXO


class NoEngine:
    """An engine that is never started: every observation is on disk already."""

    def __init__(self, *args: object, **kwargs: object):
        raise AssertionError("an engine was started to run a solution")


def left_readable(folder: Path, name: str) -> Path:
    """Observations in ``folder`` as an older version, or a kit's archive, left them: 0755 and 0644."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(wire.encode({"values": {"output": [1, 2]}, "errors": {}, "stopped_by": None}))
    path.chmod(0o644)
    folder.chmod(0o755)
    return path


def assert_private(path: Path) -> None:
    assert path.stat().st_mode & OTHERS == 0, oct(path.stat().st_mode)
    assert path.parent.stat().st_mode & OTHERS == 0, oct(path.parent.stat().st_mode)


def test_a_cache_left_readable_is_made_private_before_any_job(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reference, "Engine", NoEngine)
    monkeypatch.setattr(reference, "CACHE", tmp_path / "cache" / "reference")
    exercise = registry.get(EXERCISE)
    path = left_readable(reference.CACHE, reference.cached_path(exercise, SEED).name)
    found = reference.references([exercise], SEED)
    assert found[EXERCISE].values == {"output": [1, 2]}
    assert_private(path)


def test_a_kit_s_shipped_observations_are_made_private_before_any_job(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reference, "Engine", NoEngine)
    monkeypatch.setattr(registry, "SOLUTIONS", tmp_path / "no-solutions")
    monkeypatch.setattr(reference, "SHIPPED", tmp_path / "references")
    exercise = registry.get(EXERCISE)
    path = left_readable(reference.SHIPPED, reference.shipped_path(exercise, SEED).name)
    found = reference.references([exercise], SEED)
    assert found[EXERCISE].values == {"output": [1, 2]}
    assert_private(path)
