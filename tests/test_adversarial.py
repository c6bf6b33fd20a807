"""Attacks graded inside a class of honest students, through the real command line.

Each attack in tests/attacks/ must score what its header says; every honest result (other
students, and the attackers' own other exercise) must be identical to a run without the
attackers; and afterwards nothing may be left or leaked: no process, no file, no listening
socket, no line of the reference solutions, no other student's code, no secret of the grader,
no connection to a socket of the host, no work folder of the engine.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import secrets
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import SERVICE_SETTING, Case, read_case

from graders import registry
from graders.engine.sandbox import is_worker_uid
from graders.files import remove_tree

ATTACKS = Path(__file__).parent / "attacks"
SUBMISSIONS = Path(__file__).parent / "submissions" / "ex01_my_model"
OTHER_EXERCISE = next(i for i in registry.ids() if i != "ex01_my_model")
DAEMON_TOKEN = "27.18281828"
ATTACK_FILES = "forwardpass-attack-*"
LISTEN_PORT = 47913
LIMITS = ["--timeout", "30", "--limit", "cpu=2"]  # loops end on CPU time, which load does not stretch
HONEST = {
    "alice": SUBMISSIONS / "correct_nn_relu_modules.py",
    "bob": SUBMISSIONS / "wrong_conv2_10_channels.py",
    "carol": SUBMISSIONS / "wrong_no_relu.py",
    "=2+5": SUBMISSIONS / "correct_torch_relu_inplace.py",  # a name a spreadsheet would run as a formula
}
# Attacks that try to smuggle something out through what they print: the human-readable run,
# which shows a failing exercise's output, grades these.
EXFILTRATORS = (
    "steal_solution",
    "find_reference_in_memory",
    "read_other_students",
    "environment_secrets",
    "fake_results_printed",
    "output_flood",
)
NO_HEADER = {  # files that cannot carry a header: what they must score
    "zero_bytes.py": Case("ex01_my_model", ATTACKS / "zero_bytes.py", "error", None, ("Your file is empty",)),
}


# What no output may hold: C0 and C1 controls but newline and tab, and the bidirectional overrides.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def strings(document: object) -> list[str]:
    """Every string in a JSON document, as its reader gets it."""
    if isinstance(document, str):
        return [document]
    if isinstance(document, dict):
        return [text for key, value in document.items() for text in (key, *strings(value))]
    if isinstance(document, list):
        return [text for value in document for text in strings(value)]
    return []


def attack_cases() -> list[Case]:
    return [NO_HEADER.get(path.name) or read_case(path) for path in sorted(ATTACKS.glob("*.py"))]


def full_only(case: Case) -> bool:
    head = case.path.read_bytes()[:400].decode(errors="replace")
    return "# isolation: full" in head


@dataclass
class ClassRun:
    folder: Path
    json: dict
    text: str
    stderr: str
    files: dict[str, str] = field(default_factory=dict)  # what `grade` wrote: gradebook, feedback, report

    def result(self, student: str, exercise: str) -> dict:
        return next(e for e in self.json["exercises"] if e["file"] == f"{student}/{exercise}.py")


def make_class(folder: Path, attacks: list[Case], with_attacks: bool, canary: str) -> list[str]:
    """Honest students with a marker in their files; attackers with their attack (or not) and an
    honest second exercise."""
    students = []
    other_source = registry.solution_path(registry.get(OTHER_EXERCISE)).read_bytes()
    for name, source in HONEST.items():
        (folder / name).mkdir(parents=True)
        (folder / name / "ex01_my_model.py").write_bytes(source.read_bytes() + f"\n# {name}-{canary}\n".encode())
        (folder / name / f"{OTHER_EXERCISE}.py").write_bytes(other_source)
        students.append(name)
    for case in attacks:
        name = case.path.stem
        (folder / name).mkdir(parents=True)
        if with_attacks:
            shutil.copy(case.path, folder / name / "ex01_my_model.py")
        (folder / name / f"{OTHER_EXERCISE}.py").write_bytes(other_source)
        students.append(name)
    return students


def run_class(folder: Path, students: list[str], env: dict[str, str], as_json: bool) -> subprocess.CompletedProcess:
    args = [sys.executable, "-m", "graders", "check", *students, "--all", *LIMITS] + (["--json"] if as_json else [])
    return subprocess.run(args, cwd=folder, env=env, capture_output=True, text=True, timeout=900)


def leftover_processes() -> list[str]:
    """The attackers' daemons, and any process of a worker's user that escaped to init."""
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            cmdline = Path(entry.path, "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            status = dict(line.split(":", 1) for line in Path(entry.path, "status").read_text().splitlines())
            uid, parent = int(status["Uid"].split()[0]), int(status["PPid"])
        except (OSError, ValueError, KeyError):
            continue
        if DAEMON_TOKEN in cmdline or (is_worker_uid(uid) and parent == 1):
            found.append(f"{entry.name}: {cmdline[:80]} (uid {uid}, parent {parent})")
    return found


def listening_on(port: int) -> bool:
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            if local.endswith(f":{port:04X}") and state == "0A":
                return True
    return False


def attack_files(*roots: Path) -> list[Path]:
    return [path for root in roots if root.is_dir() for path in root.glob(ATTACK_FILES)]


@dataclass
class Host:
    """What the class runs share with the machine: a folder anyone may pass through and list, as a
    course's checkout is, for the reference cache and the engine's work folders; and a socket of the
    host's in the abstract namespace, named as abstract_unix_socket.py looks for, which no worker
    may reach."""

    folder: Path
    listener: socket.socket


@pytest.fixture(scope="module")
def host() -> Iterator[Host]:
    folder = Path(tempfile.mkdtemp(prefix="forwardpass-test-"))
    folder.chmod(0o755)
    (folder / "tmp").mkdir(mode=0o755)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        listener.bind(f"\0{ATTACK_FILES[:-1]}{secrets.token_hex(8)}")
        listener.listen(16)
        listener.setblocking(False)
        yield Host(folder, listener)
    finally:
        listener.close()
        remove_tree(folder)


def connected_to(listener: socket.socket) -> bool:
    try:
        listener.accept()[0].close()
    except BlockingIOError:
        return False
    return True


@pytest.fixture(scope="module", params=["strongest", "reduced"])
def graded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, host: Host):
    """The class graded twice, without and with the attackers, at one isolation level."""
    level = request.param
    attacks = [case for case in attack_cases() if level != "reduced" or not full_only(case)]
    canary, secret = f"canary-{secrets.token_hex(8)}", f"secret-{secrets.token_hex(8)}"
    root = tmp_path_factory.mktemp(f"adversarial-{level}")
    solutions = root / "solutions"
    shutil.copytree(registry.SOLUTIONS, solutions)
    for path in solutions.glob("*.py"):  # a line no output may ever contain
        path.write_text(path.read_text() + f"\n# {canary}\n")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(registry.ROOT),
        "NO_COLOR": "1",
        "FORWARDPASS_SOLUTIONS": str(solutions),
        "FORWARDPASS_CACHE": str(host.folder / f"cache-{level}"),
        "TMPDIR": str(host.folder / "tmp"),
        "FORWARDPASS_TEST_SECRET": secret,
        **SERVICE_SETTING,
        **({"FORWARDPASS_ISOLATION": "reduced"} if level == "reduced" else {}),
    }
    before = make_class(root / "baseline", attacks, with_attacks=False, canary=canary)
    after = make_class(root / "attacked", attacks, with_attacks=True, canary=canary)
    baseline = run_class(root / "baseline", before, env, as_json=True)
    attacked = run_class(root / "attacked", after, env, as_json=True)
    text = run_class(root / "attacked", [s for s in after if s in HONEST or s in EXFILTRATORS], env, as_json=False)
    for run in (baseline, attacked, text):
        assert run.returncode == 1 and run.stdout, f"{run.args}: status {run.returncode}\n{run.stderr[-3000:]}"
    outputs = {
        "baseline": ClassRun(root / "baseline", json.loads(baseline.stdout), "", baseline.stderr),
        "attacked": ClassRun(
            root / "attacked", json.loads(attacked.stdout), text.stdout, attacked.stderr + text.stderr
        ),
    }
    if level == "strongest":  # the TA's bulk outputs, from the same class
        grades = root / "grades"
        command = [sys.executable, "-m", "graders", "grade", str(root / "attacked"), "--out", str(grades), *LIMITS]
        command.append("--seed-not-secret")  # the hidden checks too, with the public seed: no course grades here
        run = subprocess.run(
            command,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert run.returncode == 0, run.stderr[-3000:]
        outputs["attacked"].stderr += run.stdout + run.stderr
        outputs["attacked"].files = {
            str(path.relative_to(grades)): path.read_bytes().decode(errors="replace")
            for path in grades.rglob("*")
            if path.is_file()
        }
    yield level, attacks, outputs, {"canary": canary, "secret": secret, "root": root, "host": host}
    for path in attack_files(Path("/tmp"), Path("/var/tmp"), Path("/dev/shm"), Path.home(), registry.ROOT):
        path.unlink()  # reduced isolation may let files through; the test run leaves none behind


def test_the_isolation_level_is_reported(graded) -> None:
    level, _, outputs, _ = graded
    reported = outputs["attacked"].json["isolation"]
    assert reported == ("reduced" if level == "reduced" else "full")
    if level == "reduced":
        assert "isolation: reduced" in outputs["attacked"].text


def test_each_attack_scores_what_its_honest_part_earns(graded) -> None:
    _, attacks, outputs, _ = graded
    run = outputs["attacked"]
    problems = []
    for case in attacks:
        result = run.result(case.path.stem, "ex01_my_model")
        failed = {check["id"] for check in result["checks"] if not check["passed"]}
        expected = {check["id"] for check in result["checks"]} if case.fails is None else set(case.fails)
        text = "\n".join([result["error"] or "", *(c["message"] for c in result["checks"] if not c["passed"])])
        missing = [message for message in case.messages if message not in text]
        if failed != expected or result["status"] != case.status or missing:
            problems.append(f"{case.path.name}: {result['status']}, failed {sorted(failed)}, missing {missing}: {text}")
    assert not problems, "\n".join(problems)


def test_honest_results_are_untouched_by_the_attackers(graded) -> None:
    _, attacks, outputs, _ = graded
    baseline, attacked = outputs["baseline"], outputs["attacked"]
    students = [*HONEST, *(case.path.stem for case in attacks)]
    for student in students:
        exercises = [OTHER_EXERCISE] + (["ex01_my_model"] if student in HONEST else [])
        for exercise in exercises:
            assert attacked.result(student, exercise) == baseline.result(student, exercise), (student, exercise)
    alice = baseline.result("alice", "ex01_my_model")
    assert alice["status"] == "passed" and alice["score"] == alice["max_score"]


def test_nothing_leaks_into_any_output(graded) -> None:
    _, _, outputs, secrets_ = graded
    everything = "\n".join(json.dumps(run.json) + run.text + run.stderr for run in outputs.values())
    assert secrets_["canary"] not in everything, "reference solution text reached an output"
    assert secrets_["secret"] not in everything, "the grader's environment reached an output"
    for name in HONEST:
        assert f"{name}-{secrets_['canary']}" not in everything, f"{name}'s code reached an output"
    # What submissions print or raise reaches every output as text: no escape sequences, no bidi overrides.
    printed = outputs["attacked"].text
    assert "100/100 all checks passed" in printed  # shown, as data
    for run in outputs.values():
        written = [text for name, text in run.files.items() if name.endswith((".csv", ".md", ".json", ".html"))]
        for shown in (run.text, run.stderr, *written, *strings(run.json)):
            assert not UNSAFE.search(shown), UNSAFE.search(shown)


def test_nothing_survives(graded) -> None:
    _, _, _, secrets_ = graded
    assert leftover_processes() == []
    assert not listening_on(LISTEN_PORT)
    places = [
        secrets_["root"] / "attacked",
        registry.ROOT,
        Path.home(),
        Path("/tmp"),
        Path("/var/tmp"),
        Path("/dev/shm"),
    ]
    assert attack_files(*places) == []
    assert list((secrets_["host"].folder / "tmp").iterdir()) == [], "the engine left a work folder behind"
    # Every student folder holds exactly what the class put there.
    for folder in (secrets_["root"] / "attacked").iterdir():
        assert sorted(p.name for p in folder.iterdir()) <= sorted(["ex01_my_model.py", f"{OTHER_EXERCISE}.py"])


def test_no_worker_reached_a_socket_of_the_host(graded) -> None:
    _, _, _, secrets_ = graded
    assert not connected_to(secrets_["host"].listener)


def test_the_reference_cache_is_the_grader_s_alone(graded) -> None:
    """At reduced isolation as root, only these permissions keep a worker from the observations."""
    level, _, _, secrets_ = graded
    cache = secrets_["host"].folder / f"cache-{level}" / "reference"
    cached = list(cache.iterdir())
    assert cached, "the runs cached the references' observations"
    for path in [cache, *cached]:
        assert path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO) == 0, path


def test_reports_show_what_submissions_wrote_as_text(graded) -> None:
    """HTML and Markdown escaped, spreadsheet formulas defused, in every file `grade` writes."""
    level, _, outputs, _ = graded
    files = outputs["attacked"].files
    if level == "reduced":
        assert files == {}  # the bulk outputs are graded once, at the strongest level
        return
    assert any(name.endswith(".html") for name in files) and any(name.endswith(".md") for name in files)
    for name, text in files.items():
        if name.endswith(".html"):  # escaped as &lt;script&gt;
            assert "<script>alert('forwardpass')" not in text and "<img src=x" not in text, name
        if name.endswith(".md"):  # escaped as \<script\>, which Markdown shows as the characters
            assert not re.search(r"(?<!\\)<(script|img)", text), name
    assert any("script" in text for name, text in files.items() if name.endswith(".md")), "the message is shown"
    rows = list(csv.reader(io.StringIO(files["gradebook.csv"])))
    cells = [cell for row in rows for cell in row]
    assert "'=2+5" in cells or any(cell.startswith("'=2+5") for cell in cells)
    assert not [cell for cell in cells if cell.startswith(("=", "+", "@"))]
