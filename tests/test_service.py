"""The warm engine service: the grades it gives are those graded in the command's own process; the
commands print the same through it; several at once share one service; a change to what it was made
from restarts it; unused it exits; a command that cannot reach it grades in its own process; only
its owner reaches its socket, and no worker does at either isolation level; and the learner's
commands import no torch.

Every service here lives in a folder of the test's own (``FORWARDPASS_STATE``) and is stopped after it.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import sysconfig
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SUBMISSIONS, TEST_LIMITS

from graders import catalog, fingerprint, registry
from graders.grader import LocalGrader, ServiceGrader, open_grader
from graders.options import Options
from graders.results import ExerciseResult
from graders.service import client, protocol
from graders.sources import Submission

ATTACK = Path(__file__).parent / "attacks" / "reach_engine_service.py"
CORRECT_EX01 = SUBMISSIONS / "ex01_my_model" / "correct_nn_relu_modules.py"
WRONG_EX03 = SUBMISSIONS / "ex03_containers" / "wrong_plain_list.py"
UNUSED_UID = 64_999  # no process of the machine's runs as this user
DEADLINE_SECONDS = 300  # for a service to start or exit on a loaded machine; no test asserts speed


def environment(state: Path, **extra: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(registry.ROOT),
        "NO_COLOR": "1",
        "FORWARDPASS_STATE": str(state),
        "FORWARDPASS_ENGINE_SERVICE": "on",
        **extra,
    }


def python(*args: str, state: Path, cwd: Path = registry.ROOT, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=600, env=environment(state, **extra)
    )


def graders(*args: str, state: Path, cwd: Path = registry.ROOT, **extra: str) -> subprocess.CompletedProcess[str]:
    return python("-m", "graders", *args, state=state, cwd=cwd, **extra)


def services_in(state: Path) -> list[int]:
    """The service processes whose folder is ``state`` (a service works in its own folder)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes()
            if entry.name.isdigit() and b"graders.service.server" in command and (entry / "cwd").resolve() == state:
                found.append(int(entry.name))
        except OSError:
            continue
    return [pid for pid in found if client.alive(pid)]


def wait_until(condition, what: str) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"never: {what}"
        time.sleep(0.1)


@pytest.fixture
def state(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder for the test's services (a short path: a socket's must fit in 108 bytes), also for a
    grader in this process; every service in it is stopped afterwards."""
    folder = tmp_path_factory.mktemp("service") / "state"
    monkeypatch.setenv("FORWARDPASS_STATE", str(folder))
    monkeypatch.setenv("FORWARDPASS_ENGINE_SERVICE", "on")
    yield folder
    client.stop()
    for pid in services_in(folder.resolve()):
        os.kill(pid, 9)


def learner(root: Path) -> Path:
    """A learner's exercises/: ex01 right, ex03 wrong, the rest stubs."""
    folder = root / "exercises"
    shutil.copytree(registry.EXERCISES, folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copyfile(CORRECT_EX01, folder / "ex01_my_model.py")
    shutil.copyfile(WRONG_EX03, folder / "ex03_containers.py")
    return folder


def comparable(result: ExerciseResult) -> dict:
    """All of a result but the seconds it took, which the machine's load decides."""
    record = result.to_record()
    del record["seconds"]
    return record


def test_the_service_grades_the_curriculum_as_a_command_s_own_engine_does(
    curriculum_results: dict[Path, ExerciseResult], state: Path, request: pytest.FixtureRequest
) -> None:
    seed = request.node.callspec.params["curriculum_results"]  # the secret seed they were graded under
    submissions = [Submission(result.id, path, str(path)) for path, result in curriculum_results.items()]
    with open_grader() as grader:
        assert isinstance(grader, ServiceGrader)
        results = grader.grade(submissions, Options(include_hidden=True, secret_seed=seed, limits=TEST_LIMITS))
        assert grader.local is None, "graded in this process, not by the service"
    assert client.status()["requests"] == 1
    assert len(results) == len(curriculum_results) > 14
    for result, expected in zip(results, curriculum_results.values(), strict=True):
        assert comparable(result) == comparable(expected), result.file


def test_commands_print_through_the_service_what_they_print_without_it(state: Path, tmp_path: Path) -> None:
    folder = learner(tmp_path)
    runs = {}
    for setting in ("on", "off"):
        runs[setting] = [
            graders("check", "exercises", "--json", state=state, cwd=tmp_path, FORWARDPASS_ENGINE_SERVICE=setting),
            graders("check", "exercises", state=state, cwd=tmp_path, FORWARDPASS_ENGINE_SERVICE=setting),
            graders(
                "solution", "exercises/ex01_my_model.py", state=state, cwd=tmp_path, FORWARDPASS_ENGINE_SERVICE=setting
            ),
            graders(
                "solution",
                "exercises/ex03_containers.py",
                state=state,
                cwd=tmp_path,
                FORWARDPASS_ENGINE_SERVICE=setting,
            ),
        ]
    for through, alone in zip(runs["on"], runs["off"], strict=True):
        assert (through.returncode, through.stdout, through.stderr) == (alone.returncode, alone.stdout, alone.stderr)
    checked = json.loads(runs["on"][0].stdout)
    assert [e["status"] for e in checked["exercises"][:3]] == ["passed", "error", "failed"]
    assert "Reference solution of ex01_my_model" in runs["on"][2].stdout
    assert "the reference solution is shown once your file passes" in runs["on"][3].stdout
    assert (folder / "ex01_my_model.py").read_bytes() == CORRECT_EX01.read_bytes()

    status = graders("engine", "status", state=state)
    assert status.returncode == 0 and "The warm engine service is running" in status.stdout, status.stdout
    (pid,) = services_in(state.resolve())
    assert client.status()["requests"] == 4
    stopped = graders("engine", "stop", state=state)
    assert f"Stopped the warm engine service (pid {pid})" in stopped.stdout
    assert not client.alive(pid) and not (state / protocol.SOCKET).exists()
    status = graders("engine", "status", state=state)
    assert status.returncode == 1 and "is not running" in status.stdout


def test_commands_run_at_once_share_one_service(state: Path, tmp_path: Path) -> None:
    learner(tmp_path)
    command = [sys.executable, "-m", "graders", "check", "exercises", "--json"]
    env = environment(state)
    running = [
        subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _command in range(3)
    ]
    outputs = [process.communicate(timeout=600) for process in running]
    assert [process.returncode for process in running] == [1, 1, 1], [err for _out, err in outputs]
    assert outputs[0][0] == outputs[1][0] == outputs[2][0]
    assert len(services_in(state.resolve())) == 1
    assert client.status()["requests"] == 3


def test_watch_grades_through_the_service_and_stops_without_it(state: Path, tmp_path: Path) -> None:
    learner(tmp_path)
    command = [sys.executable, "-m", "graders", "watch", "exercises/ex03_containers.py"]
    watcher = subprocess.Popen(
        command, cwd=tmp_path, env=environment(state), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    deadline = threading.Timer(DEADLINE_SECONDS, watcher.kill)  # a watcher that never shows a result
    deadline.start()
    shown = []
    try:
        for line in watcher.stdout:
            shown.append(line)
            if line.startswith("Watching"):
                break
        status = client.status()
    finally:
        watcher.send_signal(signal.SIGINT)
        assert watcher.wait(timeout=DEADLINE_SECONDS) == 0
        deadline.cancel()
    output = "".join([*shown, watcher.stdout.read()])
    assert "ex03_containers · " in output and "registers 0 parameters (none)" in output, output
    assert "Stopped watching." in output
    assert status is not None and status["requests"] == 1 and status["connections"] == 1, "the watcher's"
    assert client.status()["pid"] == status["pid"], "the service outlives the watcher"


def test_a_changed_solution_or_setting_restarts_the_service(state: Path, tmp_path: Path) -> None:
    solutions = tmp_path / "solutions"
    shutil.copytree(registry.SOLUTIONS, solutions)
    settings = {"FORWARDPASS_SOLUTIONS": str(solutions), "FORWARDPASS_CACHE": str(tmp_path / "cache")}
    learner(tmp_path)
    file = "exercises/ex01_my_model.py"

    def check(**extra: str) -> tuple[dict, int]:
        """The check's JSON, and the process id of the service that graded it (which now has)."""
        done = graders("check", file, "--json", state=state, cwd=tmp_path, **settings, **extra)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout), client.status()["pid"]

    first, started = check()
    assert check()[1] == started, "a service that nothing changed for is kept"
    with open(solutions / "ex01_my_model.py", "a", encoding="utf-8") as solution:
        solution.write("# an edit that changes nothing it computes\n")
    again, restarted = check()
    assert restarted != started and again == first
    wait_until(lambda: not client.alive(started), "the stale service exited")
    reduced, last = check(FORWARDPASS_ISOLATION="reduced")
    assert last != restarted and reduced["isolation"] == "reduced"
    assert reduced["exercises"] == first["exercises"]
    wait_until(lambda: services_in(state.resolve()) == [last], "one service, the last one, is left")


def test_the_fingerprint_follows_what_grading_depends_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = fingerprint.service()
    assert fingerprint.service() == before
    monkeypatch.setenv("FORWARDPASS_STATE", "/elsewhere")  # where the service lives, not how it grades
    monkeypatch.setenv("FORWARDPASS_ENGINE_SERVICE", "on")
    assert fingerprint.service() == before
    monkeypatch.setenv("FORWARDPASS_ISOLATION", "reduced")
    reduced = fingerprint.service()
    assert reduced != before

    packages = tmp_path / "site-packages"  # the Python environment: a package installed, or upgraded
    packages.mkdir()
    for name in os.listdir(sysconfig.get_path("purelib")):
        (packages / name).touch()
    monkeypatch.setattr(sysconfig, "get_path", lambda name: str(packages))
    listed = fingerprint.service()
    (packages / "torch-2.99.0.dist-info").mkdir()
    assert fingerprint.service() != listed


def test_unused_the_service_exits_and_takes_its_socket_away(state: Path) -> None:
    state.mkdir(mode=0o700)
    server = [sys.executable, "-m", "graders.service.server", "--idle-seconds", "1"]
    with open(state / protocol.LOG, "wb") as log:  # not a pipe: the service keeps what it is given
        launched = subprocess.run(server, cwd=state, env=environment(state), timeout=600, stdout=log, stderr=log)
    assert launched.returncode == 0, (state / protocol.LOG).read_text()
    status = client.status()
    assert status is not None and status["idle_limit"] == 1
    wait_until(lambda: not client.alive(status["pid"]), "the unused service exited")
    assert client.status() is None and not (state / protocol.SOCKET).exists()


class FakeService:
    """A socket at the service's place that answers every message with ``answer`` (None: hangs up)."""

    def __init__(self, state: Path, answer: dict | None):
        state.mkdir(mode=0o700)
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(str(state / protocol.SOCKET))
        self.listener.listen(8)
        self.answer = answer
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() it waits in
        self.thread.join()
        self.listener.close()

    def serve(self) -> None:
        while True:
            try:
                connection, _address = self.listener.accept()
            except OSError:
                return
            channel = protocol.Channel(connection)
            try:
                if channel.receive() is not None and self.answer is not None:
                    channel.send(self.answer)
            finally:
                channel.close()


@pytest.mark.parametrize("answer", [None, {"error": "Traceback: a bug of the service"}])
def test_a_command_that_cannot_use_the_service_grades_in_its_own_process(
    state: Path, answer: dict | None, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = FakeService(state, answer)
    submissions = [Submission("ex01_my_model", CORRECT_EX01, "mine.py")]
    try:
        with open_grader() as grader:
            (result,) = grader.grade(submissions, Options(limits=TEST_LIMITS))
            assert isinstance(grader.local, LocalGrader)
    finally:
        fake.close()
    assert result.status == "passed" and result.score == result.max_score
    if answer is not None:
        assert "a bug of the service" in capsys.readouterr().err


def test_where_no_service_can_start_a_command_grades_in_its_own_process(state: Path) -> None:
    state.write_text("a file where the service's folder would be")
    with open_grader() as grader:
        (result,) = grader.grade([Submission("ex01_my_model", CORRECT_EX01, "mine.py")], Options(limits=TEST_LIMITS))
        assert isinstance(grader.local, LocalGrader)
    assert result.status == "passed"


def connect_as_another_user(folder: Path) -> str:
    """What a process of another user gets from the socket: "refused" (no permission), "no answer"
    (connected, and hung up on) or "answered"."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        outcome = b"failed"
        try:
            os.chdir(folder)  # another user cannot pass through pytest's private folders
            os.setgroups([])
            os.setresgid(UNUSED_UID, UNUSED_UID, UNUSED_UID)
            os.setresuid(UNUSED_UID, UNUSED_UID, UNUSED_UID)
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
                try:
                    connection.connect(protocol.SOCKET)
                except PermissionError:
                    outcome = b"refused"
                else:
                    connection.settimeout(DEADLINE_SECONDS)
                    try:
                        connection.sendall(json.dumps({"command": "status"}).encode() + b"\n")
                        outcome = b"answered" if connection.recv(65536) else b"no answer"
                    except (BrokenPipeError, ConnectionResetError):  # hung up on before it was asked
                        outcome = b"no answer"
        finally:
            os.write(write, outcome)
            os._exit(0)
    os.close(write)
    outcome = os.read(read, 64).decode()
    os.close(read)
    os.waitpid(pid, 0)
    return outcome


def test_only_the_checkout_s_owner_reaches_the_socket(state: Path) -> None:
    graders("engine", "status", state=state)  # none runs: nothing is started by asking
    assert not state.exists()
    channel = client.reach()
    assert channel is not None
    channel.close()
    assert stat.S_IMODE(state.stat().st_mode) == 0o700
    assert stat.S_IMODE((state / protocol.SOCKET).stat().st_mode) == 0o600
    accepted = client.status()["accepted"]
    if os.geteuid() == 0:  # only root can be another user
        assert connect_as_another_user(state) == "refused"
        state.chmod(0o755)  # were the permissions lost, the service would still hang up on them
        (state / protocol.SOCKET).chmod(0o666)
        assert connect_as_another_user(state) == "no answer"
        assert client.status()["accepted"] == accepted + 2  # theirs, and this status request


def test_a_socket_of_another_user_is_not_the_service(state: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the service's folder is shared (FORWARDPASS_STATE on a common path), a socket another user
    bound there is never asked to grade, whatever it would answer: the command grades in its own process."""
    forged = {"results": [], "isolation": {"level": "full", "method": "forged", "reason": ""}, "diagnostics": ""}
    fake = FakeService(state, forged)
    try:
        reached = client.connect()
        assert reached is not None, "the owner's own socket is reached"
        reached.close()
        monkeypatch.setattr(protocol, "peer_uid", lambda connection: os.geteuid() + 1)  # as the kernel says
        assert client.connect() is None
        with open_grader() as grader:
            (result,) = grader.grade(
                [Submission("ex01_my_model", CORRECT_EX01, "mine.py")], Options(limits=TEST_LIMITS)
            )
            assert isinstance(grader.local, LocalGrader) and grader.isolation.method != "forged"
    finally:
        fake.close()
    assert result.status == "passed"


def load_attack():
    spec = importlib.util.spec_from_file_location("reach_engine_service", ATTACK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("level", ["full", "reduced"])
def test_no_worker_reaches_the_service(state: Path, level: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if level == "reduced":
        monkeypatch.setenv("FORWARDPASS_ISOLATION", "reduced")
    attack = Submission("ex01_my_model", ATTACK, "attack.py")
    with open_grader() as grader:
        grader.grade([Submission("ex01_my_model", CORRECT_EX01, "warm.py")], Options(limits=TEST_LIMITS))
        assert grader.local is None
        assert load_attack().reached_the_service(), "the attack, unconfined, must find and reach the service"
        accepted = client.status()["accepted"]
        (result,) = grader.grade([attack], Options(include_hidden=True, limits=TEST_LIMITS))
        assert client.status()["accepted"] == accepted + 1, "a connection other than this test's status request"
        if level == "reduced":
            assert grader.isolation.level == "reduced"
    assert result.status == "passed", [check.message for check in result.checks if not check.passed]


def imported_torch(done: subprocess.CompletedProcess[str]) -> list[str]:
    """The torch modules ``python -X importtime`` says the command imported."""
    names = [line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")]
    return [name for name in names if name == "torch" or name.startswith("torch.")]


def test_the_learner_s_commands_import_no_torch(state: Path, tmp_path: Path) -> None:
    catalog.outlines()  # written once from the specs, as the service writes it when it starts
    folder = learner(tmp_path)
    with open(folder / "ex05_activation_recorder.py", "a", encoding="utf-8") as mine:
        mine.write("# the learner's edit, which reset backs up and undoes\n")
    commands = [
        ("check", "exercises"),  # the first: it starts the service
        ("check", "exercises"),
        ("check", "exercises/ex03_containers.py"),
        ("hint", "03"),
        ("reset", "exercises/ex05_activation_recorder.py"),
        ("solution", "exercises/ex03_containers.py"),
        ("engine", "status"),
        ("-m", "pytest", "-q", "-p", "no:cacheprovider", "exercises/ex01_my_model.py"),
    ]
    for command in commands:
        module = () if command[0] == "-m" else ("-m", "graders")
        done = python("-X", "importtime", *module, *command, state=state, cwd=tmp_path)
        assert done.returncode in (0, 1), (command, done.stdout, done.stderr[-3000:])
        assert imported_torch(done) == [], command
    assert client.status()["requests"] == 5
    assert (folder / "ex05_activation_recorder.py").read_text() == (
        registry.EXERCISES / "ex05_activation_recorder.py"
    ).read_text()
