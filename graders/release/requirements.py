"""The pinned requirements of a copy that runs only part of forwardpass: the packages it needs
and everything they pull in, at the versions requirements.txt pins (never a looser torch)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

from graders import registry

# pip freeze leaves these out of requirements.txt; they are pinned at the version installed here.
PACKAGING_TOOLS = ("pip", "setuptools", "wheel")
HEADER = "# Pinned from forwardpass's requirements.txt: {what}, and what they need.\n"


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime() -> list[str]:
    """What grading itself needs: pyproject.toml's [project] dependencies."""
    project = tomllib.loads((registry.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(text).name for text in project["dependencies"]]


def pins(path: Path = registry.ROOT / "requirements.txt") -> dict[str, str]:
    """``name==version`` lines of requirements.txt, by canonical name."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)", line.strip())
        if match:
            found[canonical(match.group(1))] = match.group(2)
    return found


def closure(names: Iterable[str]) -> list[str]:
    """``names`` and their dependencies on this platform (no extras), as installed here."""
    seen: dict[str, None] = {}
    pending = [canonical(n) for n in names]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen[name] = None
        for text in metadata.requires(name) or ():
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                pending.append(canonical(requirement.name))
    return sorted(seen)


def pinned_requirements(names: Iterable[str], what: str) -> str:
    """A requirements file for ``names`` and what they need, each pinned as requirements.txt pins it."""
    pinned = pins()
    lines = []
    for name in closure(names):
        if name in pinned:
            lines.append(f"{name}=={pinned[name]}\n")
        elif name in PACKAGING_TOOLS:
            lines.append(f"{name}=={metadata.version(name)}\n")
        else:
            raise ValueError(f"{name} is needed but not pinned in requirements.txt: run `make lock`")
    return HEADER.format(what=what) + "".join(lines)
