"""Nothing handed to the students of a course holds a line of a solution.

Under a course whose hint policy is ``nudge`` (which shows more than ``none``), every artifact a
student can read is built for real and scanned: the student kit (``make release``), the feedback of
the graded sample class (``make grade``), Gradescope's results.json for wrong submissions of every
exercise and the autograder zip itself (``make gradescope``), and nbgrader's release notebooks
(``make nbgrader``). They are checked against every line of the solution regions of ``solutions/``
that is not trivial (``solution_lines``), whitespace aside; a line found names its exercise, its
line, and the artifact it is in, for the exercise's owner to fix.
"""

from __future__ import annotations

import io
import json
import keyword
import os
import re
import subprocess
import sys
import tempfile
import tokenize
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from graders import registry
from graders.stubs import BEGIN, END, stub_for

pytestmark = [pytest.mark.slow, pytest.mark.timeout(2400)]

SUBMISSIONS = Path(__file__).parent / "submissions"
# A line carries an exercise's particulars when it holds at least this many names and literals:
# `self.conv2 = nn.Conv2d(20, 20, 5)` does; idioms every PyTorch program writes, such as
# `optimizer.zero_grad()` or `for p in model.parameters():`, do not.
PARTICULARS = 4
LITERAL_NAMES = ("True", "False", "None")


@dataclass(frozen=True)
class SolutionLine:
    exercise_id: str
    number: int
    text: str

    @property
    def key(self) -> str:
        return normalised(self.text)


def normalised(text: str) -> str:
    return re.sub(r"\s+", "", text)


def particulars(line: str) -> int:
    """The names (keywords aside, but True, False and None) and literals of one line of code."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(line.strip() + "\n").readline))
    except (tokenize.TokenError, SyntaxError):
        return 0
    literal = (tokenize.NUMBER, tokenize.STRING)
    return sum(
        1
        for token in tokens
        if token.type in literal
        or (token.type == tokenize.NAME and (not keyword.iskeyword(token.string) or token.string in LITERAL_NAMES))
    )


def solution_lines() -> list[SolutionLine]:
    """Every line of code inside a solution region that carries particulars and that no stub gives."""
    given = "".join(normalised(stub_for(registry.solution_path(registry.get(e)))) for e in registry.ids())
    found = []
    for exercise_id in registry.ids():
        inside = False
        for number, line in enumerate(registry.solution_path(registry.get(exercise_id)).read_text().splitlines(), 1):
            text = line.strip()
            if text in (BEGIN, END):
                inside = text == BEGIN
            elif inside and not text.startswith("#") and particulars(text) >= PARTICULARS:
                found += [SolutionLine(exercise_id, number, text)] if normalised(text) not in given else []
    return found


def strings(value: object) -> Iterator[str]:
    """Every string in a JSON document."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


# Where a report quotes the student's own line back (graders/explain.py): what raised, "(line 7 of your
# file: `...`)" or "(code cell 2, line 3: `...`)", and a syntax error's line below its sentence. A
# student whose line is the solution's wrote it themselves: it gives nothing away.
OWN_CODE = re.compile(
    r"(?:line \d+ of your file|code cell \d+, line \d+): `[^`\n]*`"
    r"|has an? \w+ (?:on line \d+|in code cell \d+, line \d+): [^\n]*\n[^\n]*"
)


def readable(name: str, data: bytes) -> str:
    """An artifact's text as a reader sees it: JSON's strings unquoted, Markdown's escapes undone, and
    the student's own lines quoted back left out."""
    text = data.decode("utf-8", errors="replace")
    if name.endswith((".json", ".ipynb")):
        text = "\n".join(strings(json.loads(text)))
    if name.endswith(".md"):
        text = re.sub(r"\\(.)", r"\1", text)
    return OWN_CODE.sub("", text)


def leaks(artifacts: dict[str, bytes]) -> list[str]:
    """Each solution line found in the artifacts, with where, said so that its owner can find it."""
    texts = {name: normalised(readable(name, data)) for name, data in artifacts.items()}
    found = []
    for line in solution_lines():
        where = [name for name, text in texts.items() if line.key in text]
        if where:
            more = f" (and {len(where) - 1} more)" if len(where) > 1 else ""
            solution = f"{line.exercise_id}, line {line.number} of its solution (`{line.text}`)"
            found.append(f"{solution}, is in {where[0]}{more}")
    return found


def zip_members(path: Path, prefix: str) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {f"{prefix}:{info.filename}": archive.read(info) for info in archive.infolist() if not info.is_dir()}


def run(*args: str, cwd: Path = registry.ROOT, **env: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "graders", *args],
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1", **env},
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done


def wrong_submission(exercise_id: str) -> Path:
    """A wrong submission of the exercise that fails a public check: the one a hint is given for."""
    for path in sorted((SUBMISSIONS / exercise_id).glob("wrong_*.py")):
        fails = re.search(r"^# fails: (.*)$", path.read_text(), flags=re.M)
        public = {c.id for c in registry.get(exercise_id).checks if c.visibility == "public"}
        if fails and (fails.group(1) == "all" or {f.strip() for f in fails.group(1).split(",")} & public):
            return path
    raise LookupError(f"{exercise_id} has no wrong submission that fails a public check")


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("course")
    run("course", "init", "--hints", "nudge", "--course-file", str(folder / "course.toml"))
    return folder / "course.toml"


@pytest.fixture(scope="module")
def gradescope_artifacts(course: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The autograder zip, and the results.json it writes for a wrong submission of every exercise."""
    folder = tmp_path_factory.mktemp("gradescope")
    target = folder / "autograder.zip"
    run("gradescope", "--course-file", str(course), "--out", str(target))
    root = Path(tempfile.mkdtemp(prefix="forwardpass-leaks-", dir=folder))
    (root / "source").mkdir()
    (root / "submission").mkdir()
    with zipfile.ZipFile(target) as archive:
        archive.extractall(root / "source")
    for exercise_id in registry.ids():
        (root / "submission" / f"{exercise_id}.py").write_bytes(wrong_submission(exercise_id).read_bytes())
    (root / "source" / "run_autograder").chmod(0o755)
    subprocess.run(
        [str(root / "source" / "run_autograder"), str(root)],
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "FORWARDPASS_PYTHON": sys.executable},
        capture_output=True,
        timeout=1800,
        check=True,
    )
    results = (root / "results" / "results.json").read_bytes()
    assert len(json.loads(results)["tests"]) > 100 and "Hint for " in json.loads(results)["output"]
    return {**zip_members(target, "gradescope-autograder.zip"), "gradescope results.json": results}


def test_the_scan_finds_a_solution_line_however_it_is_spaced_or_quoted() -> None:
    lines = {line.text for line in solution_lines()}
    assert "self.conv2 = nn.Conv2d(20, 20, 5)" in lines and "optimizer.zero_grad()" not in lines
    found = leaks(
        {"feedback.md": b"Write `self.conv2 \\= nn.Conv2d(20,20,  5)` in it.", "clean.md": b"conv2 keeps 20."}
    )
    assert found == [
        "ex01_my_model, line "
        + str(next(line.number for line in solution_lines() if line.text.startswith("self.conv2 =")))
        + " of its solution (`self.conv2 = nn.Conv2d(20, 20, 5)`), is in feedback.md"
    ]
    document = json.dumps({"output": "Hint: self.conv2 = nn.Conv2d(20, 20, 5)"}).encode()
    assert leaks({"results.json": document})
    own = b"Your code raised TypeError (line 7 of your file: \\`self.conv2 = nn.Conv2d(20, 20, 5)\\`)."
    assert leaks({"feedback.md": own}) == []  # the student's own line, quoted back where it raised


def test_the_student_kit_holds_no_solution_line(course: Path, tmp_path: Path) -> None:
    run("release", "--course-file", str(course), "--out", str(tmp_path / "kit.zip"))
    found = leaks(zip_members(tmp_path / "kit.zip", "student-kit.zip"))
    assert not found, "\n".join(found)


def test_the_feedback_of_a_graded_class_holds_no_solution_line(course: Path, tmp_path: Path) -> None:
    run("grade", "--sample", "--out", str(tmp_path / "grades"), "--course-file", str(course))
    feedback = {str(p.relative_to(tmp_path)): p.read_bytes() for p in (tmp_path / "grades").rglob("feedback.md")}
    assert len(feedback) > 30 and any(b"**Hints**" in data for data in feedback.values())
    found = leaks(feedback)
    assert not found, "\n".join(found)


def test_gradescope_results_and_its_zip_hold_no_solution_line(gradescope_artifacts: dict[str, bytes]) -> None:
    found = leaks(gradescope_artifacts)
    assert not found, "\n".join(found)


def test_nbgraders_release_notebooks_hold_no_solution_line(course: Path, tmp_path: Path) -> None:
    run("nbgrader", "--course", str(tmp_path / "nbgrader"), "--course-file", str(course))
    notebooks = {
        str(p.relative_to(tmp_path)): p.read_bytes() for p in (tmp_path / "nbgrader" / "release").rglob("*.ipynb")
    }
    assert len(notebooks) == len(registry.ids())
    found = leaks(notebooks)
    assert not found, "\n".join(found)
