"""The self-learner's loop through real processes: check's progress view, hints, reset, solution,
make's targets, colour on a terminal, and the checks as pytest items."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SERVICE_SETTING

from graders import registry
from graders.stubs import stub_for

SUBMISSIONS = Path(__file__).parent / "submissions"
WRONG_EX03 = SUBMISSIONS / "ex03_containers" / "wrong_plain_list.py"  # 1 of 12: nothing is registered
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
NOT_STARTED = re.compile(r"count_calls`? is not implemented yet", re.IGNORECASE)  # ex04's stub


def environment(state: Path, **extra: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(registry.ROOT),
        "FORWARDPASS_STATE": str(state),
        "NO_COLOR": "1",
        **SERVICE_SETTING,
        **extra,
    }


def graders(*args: str, state: Path, cwd: Path = registry.ROOT, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "graders", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env=environment(state, **extra),
    )


def in_terminal(command: list[str], env: dict[str, str], cwd: Path = registry.ROOT) -> tuple[int, str]:
    """Run ``command`` with a pseudo-terminal as its stdout and stderr, as a person's shell does."""
    main, secondary = pty.openpty()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=secondary, stderr=secondary)
    os.close(secondary)
    chunks = []
    while True:
        ready, _, _ = select.select([main], [], [], 300)
        if not ready:
            process.kill()
            break
        try:
            data = os.read(main, 65536)
        except OSError:  # EIO: the terminal's other side is closed
            break
        if not data:
            break
        chunks.append(data)
    os.close(main)
    return process.wait(timeout=60), b"".join(chunks).decode(errors="replace").replace("\r\n", "\n")


def public_checks(exercise_id: str) -> list:
    return registry.get(exercise_id).selected_checks(include_hidden=False)


@pytest.fixture(scope="module")
def learner(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A learner's copy of exercises/: ex01 and ex02 solved, ex03 attempted and wrong, the rest stubs."""
    root = tmp_path_factory.mktemp("learner")
    folder = root / "exercises"
    shutil.copytree(registry.EXERCISES, folder, ignore=shutil.ignore_patterns("__pycache__"))
    for exercise_id in ("ex01_my_model", "ex02_init_vs_forward"):
        shutil.copy(registry.SOLUTIONS / f"{exercise_id}.py", folder / f"{exercise_id}.py")
    shutil.copy(WRONG_EX03, folder / "ex03_containers.py")
    return folder


@pytest.fixture(scope="module")
def overview(learner: Path) -> tuple[subprocess.CompletedProcess[str], Path]:
    state = learner.parent / "state"
    return graders("check", str(learner), state=state, cwd=learner.parent), state


def test_check_lists_every_exercise_in_order_with_its_progress(overview) -> None:
    result, _ = overview
    assert result.returncode == 1, result.stderr
    listed = re.findall(r"^[ ▸] ([✓✗·]) (ex\d\d_\w+)\s+(passed|failed|not started)\s", result.stdout, re.M)
    assert [exercise for _, exercise, _ in listed] == list(registry.ids())
    progress = {exercise: (mark, word) for mark, exercise, word in listed}
    assert progress["ex01_my_model"] == progress["ex02_init_vs_forward"] == ("✓", "passed")
    assert progress["ex03_containers"] == ("✗", "failed")
    assert {progress[e] for e in registry.ids()[3:]} == {("·", "not started")}
    assert "2/14 done" in result.stdout
    assert re.search(r"^▸ ✗ ex03_containers", result.stdout, re.M), "the next exercise is marked"
    assert "Total: " in result.stdout
    assert "\x1b" not in result.stdout, "piped output is plain text"


def test_check_details_only_the_first_unfinished_exercise(overview, learner: Path) -> None:
    result, state = overview
    detail = result.stdout.split("Next: ", 1)[1]
    assert detail.startswith("ex03_containers")
    assert "registers 0 parameters (none)" in detail  # ex03's failing check, verbatim
    assert "optimizer got an empty parameter list" in detail
    for title in (check.title for check in public_checks("ex03_containers")):
        assert title in detail
    assert "is not implemented yet" not in result.stdout, "other exercises stay summarised"
    assert "Stuck? `python -m graders hint ex03` shows hint 1 of 3." in detail
    assert f"run `python -m graders check {learner}` again, or `python -m graders watch {learner}` to" in detail
    assert json.loads((state / "state.json").read_text())["current"] == "ex03_containers"


def test_make_check_ex_focuses_on_one_exercise_in_colour_on_a_terminal(tmp_path: Path) -> None:
    env = environment(tmp_path / "state", TERM="xterm-256color", COLUMNS="120")
    del env["NO_COLOR"]
    status, output = in_terminal(["make", "--no-print-directory", "check", "EX=04"], env)
    assert status == 0, output  # make check reports "some check failed" as success
    assert ANSI.search(output), "a terminal gets colour"
    text = ANSI.sub("", output)
    assert "ex04_call_vs_forward · " in text and "Progress" not in text, "one exercise, not the list"
    for check in public_checks("ex04_call_vs_forward"):
        assert check.title[:40] in text
    assert len(NOT_STARTED.findall(text)) == 1, "one reason shared by many checks, said once"
    hints = len(registry.get("ex04_call_vs_forward").hints)
    assert f"Stuck? `make hint EX=04` shows hint 1 of {hints}." in text, "through make, the advice is make's"
    assert "run `make check EX=04` again, or `make watch EX=04` to re-check" in text


def test_the_command_to_run_again_is_the_one_that_was_run(tmp_path: Path) -> None:
    """A file named otherwise, checked with --exercise: the folder's check would find no exercise in it."""
    state, homework = tmp_path / "state", tmp_path / "homework" / "my containers.py"
    homework.parent.mkdir()
    shutil.copy(WRONG_EX03, homework)
    checked = graders("check", "homework/my containers.py", "--exercise", "03", state=state, cwd=tmp_path)
    assert checked.returncode == 1, checked.stderr
    again = re.search(r"run `(.+?)` again, or `(.+?)` to re-check on every save", checked.stdout)
    assert again is not None, checked.stdout
    check_again, watch_again = again.groups()
    assert check_again == "python -m graders check 'homework/my containers.py' --exercise 03"
    assert watch_again == "python -m graders watch 'homework/my containers.py' --exercise 03"
    rerun = graders(*shlex.split(check_again)[3:], state=state, cwd=tmp_path)
    assert (rerun.returncode, rerun.stdout) == (checked.returncode, checked.stdout)


def make(*args: str, state: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=registry.ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env=environment(state),
    )


def test_hints_come_one_at_a_time_name_their_checks_and_repeat_at_the_end(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    (state / "state.json").write_text(json.dumps({"current": "ex03_containers"}))  # as check leaves it
    exercise = registry.get("ex03_containers")
    titles = {check.id: check.title for check in exercise.checks if check.visibility == "public"}
    hidden = {check.title for check in exercise.checks if check.visibility == "hidden"}
    asked = [graders("hint", state=state), graders("hint", "03", state=state), make("hint", "EX=3", state=state)]
    for number, (hint, result) in enumerate(zip(exercise.hints, asked, strict=True), start=1):
        assert result.returncode == 0, result.stderr
        assert f"ex03_containers · hint {number} of 3" in result.stdout
        assert " ".join(hint.text.split()) in " ".join(result.stdout.split())
        for check_id in hint.checks:
            if check_id in titles:
                assert titles[check_id] in result.stdout
        hidden_helped = sum(check_id not in titles for check_id in hint.checks)
        if hidden_helped:
            assert f"{hidden_helped} hidden check" in result.stdout
        assert not any(title in result.stdout for title in hidden), "hidden checks are only counted"
        for other in exercise.hints:
            if other is not hint:
                assert other.text[:60] not in result.stdout
    assert "`python -m graders hint ex03` again shows hint 2 of 3." in asked[0].stdout
    assert "That was the last hint; `make hint EX=03` shows them all again." in asked[2].stdout

    again = graders("hint", "ex03", state=state)
    assert "you have seen all 3 hints" in again.stdout
    assert [f"hint {n} of 3" in again.stdout for n in (1, 2, 3)] == [True, True, True]
    assert "the next one is hint 1" in graders("hint", "03", "--reset", state=state).stdout
    assert json.loads((state / "state.json").read_text())["hints_seen"] == {}
    unknown = graders("hint", "ex99", state=state)
    assert unknown.returncode == 2 and "unknown exercise" in unknown.stderr


def test_hints_follow_the_first_check_that_failed(tmp_path: Path) -> None:
    # conv2 is wrong and is_module passes: the hint for conv2 comes first, not hint 1.
    state, attempt = tmp_path / "state", tmp_path / "ex01_my_model.py"
    shutil.copy(SUBMISSIONS / "ex01_my_model" / "wrong_conv2_10_channels.py", attempt)
    exercise = registry.get("ex01_my_model")
    first_failing = next(check.id for check in exercise.checks if check.id == "conv2")
    tied = next(number for number, hint in enumerate(exercise.hints, start=1) if first_failing in hint.checks)
    assert tied != 1 and "is_module" in exercise.hints[0].checks

    checked = graders("check", str(attempt), state=state)
    assert f"shows hint {tied} of {len(exercise.hints)}" in checked.stdout
    shown = graders("hint", "ex01", state=state)
    assert f"ex01_my_model · hint {tied} of {len(exercise.hints)}" in shown.stdout
    assert " ".join(exercise.hints[tied - 1].text.split()) in " ".join(shown.stdout.split())
    assert exercise.hints[0].text[:60] not in shown.stdout

    shutil.copy(SUBMISSIONS / "ex01_my_model" / "correct_nn_relu_modules.py", attempt)
    graders("check", str(attempt), state=state)
    assert json.loads((state / "state.json").read_text())["failing"]["ex01_my_model"] == []


def test_reset_restores_the_stub_and_keeps_a_backup(tmp_path: Path) -> None:
    state = tmp_path / "state"
    mine = tmp_path / "ex05_activation_recorder.py"
    work = "# my attempt\ndef record_output_shapes(model, x):\n    return {}\n"
    mine.write_text(work)
    stub = stub_for(registry.SOLUTIONS / "ex05_activation_recorder.py")

    result = graders("reset", str(mine), state=state)
    assert result.returncode == 0, result.stderr
    assert mine.read_text() == stub
    (backup,) = (state / "backups").iterdir()
    assert backup.read_text() == work and backup.name.startswith("ex05_activation_recorder.")
    assert backup.name in result.stdout

    again = graders("reset", str(mine), state=state)
    assert "already the stub" in again.stdout and len(list((state / "backups").iterdir())) == 1
    mine.unlink()
    assert graders("reset", str(mine), state=state).returncode == 0 and mine.read_text() == stub

    unnamed = subprocess.run(
        ["make", "--no-print-directory", "reset"], cwd=registry.ROOT, capture_output=True, text=True
    )
    assert unnamed.returncode != 0 and "make reset EX=05" in unnamed.stderr


def test_solution_waits_until_the_exercise_passes(tmp_path: Path) -> None:
    state = tmp_path / "state"
    solution = (registry.SOLUTIONS / "ex01_my_model.py").read_text()
    reference_line = next(line for line in solution.splitlines() if "nn.Conv2d(20, 20, 5)" in line)
    attempt = tmp_path / "ex01_my_model.py"
    shutil.copy(SUBMISSIONS / "ex01_my_model" / "wrong_conv2_10_channels.py", attempt)

    refused = graders("solution", str(attempt), state=state)
    assert refused.returncode == 1
    assert "scores 3/10" in refused.stdout and "--force" in refused.stdout
    assert reference_line.strip() not in refused.stdout

    forced = graders("solution", str(attempt), "--force", state=state)
    assert forced.returncode == 0 and reference_line.strip() in forced.stdout
    assert "### BEGIN SOLUTION" not in forced.stdout

    shutil.copy(SUBMISSIONS / "ex01_my_model" / "correct_nn_relu_modules.py", attempt)
    earned = graders("solution", str(attempt), state=state)
    assert earned.returncode == 0, earned.stdout + earned.stderr
    assert reference_line.strip() in earned.stdout


def test_checks_run_as_pytest_items(learner: Path, tmp_path: Path) -> None:
    # ex01 named on the command line (pytest would import it as a module) and a folder to collect.
    folder = tmp_path / "exercises"
    (folder / "more").mkdir(parents=True)
    shutil.copy(learner / "conftest.py", folder / "conftest.py")
    shutil.copy(learner / "ex01_my_model.py", folder / "ex01_my_model.py")
    shutil.copy(WRONG_EX03, folder / "more" / "ex03_containers.py")
    shutil.copy(learner / "ex04_call_vs_forward.py", folder / "more" / "ex04_call_vs_forward.py")
    options = ["-v", "-p", "no:cacheprovider", "-o", "timeout=120"]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", *options, "exercises/ex01_my_model.py", "exercises/more"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        env=environment(tmp_path / "state"),
    )
    output = result.stdout
    assert result.returncode == 1, output + result.stderr
    assert "timeout: 120.0s" in output, "pytest-timeout bounds the items"
    outcomes = dict(re.findall(r"^(\S+::\w+) (PASSED|FAILED)", output, re.M))
    expected = {f"exercises/ex01_my_model.py::{c.id}": "PASSED" for c in public_checks("ex01_my_model")}
    expected |= {
        f"exercises/more/ex03_containers.py::{c.id}": "PASSED" if c.id == "output_shapes" else "FAILED"
        for c in public_checks("ex03_containers")
    }
    expected |= {
        f"exercises/more/ex04_call_vs_forward.py::{c.id}": "FAILED" for c in public_checks("ex04_call_vs_forward")
    }
    assert outcomes == expected
    assert "registers 0 parameters (none)" in output and "optimizer got an empty parameter list" in output
    assert NOT_STARTED.search(output)
    assert "Traceback" not in output and "def runtest" not in output, "failures show check's message, no traceback"
    assert "forwardpass: 1/3 exercises pass every check" in output
