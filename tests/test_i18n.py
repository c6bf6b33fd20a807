"""Which language a command speaks, and how a message finds its translation."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import torch
from conftest import SERVICE_SETTING

from graders import i18n, registry
from graders.explain import describe_call
from graders.i18n import _, ngettext
from graders.probe import Probe
from graders.stubs import stub_for, write_stubs
from tests.languages import pseudo_catalogs


@pytest.mark.parametrize(
    ("flag", "environ", "course", "expected"),
    [
        (None, {}, None, "en"),
        (None, {"LANG": "ko_KR.UTF-8"}, None, "ko"),
        (None, {"LANG": "C.UTF-8"}, None, "en"),
        (None, {"LANG": "fr_FR.UTF-8"}, None, "en"),  # a locale forwardpass does not speak: English
        (None, {"LC_MESSAGES": "ko_KR.UTF-8", "LANG": "en_US.UTF-8"}, None, "ko"),
        (None, {"LC_ALL": "en_US.UTF-8", "LC_MESSAGES": "ko_KR.UTF-8", "LANG": "ko_KR"}, None, "en"),
        (None, {"LC_ALL": "", "LANG": "ko"}, None, "ko"),  # an empty variable is not set
        (None, {"LANG": "en_US.UTF-8"}, "ko", "ko"),  # the course over the locale
        (None, {"FORWARDPASS_LANG": "en", "LANG": "ko_KR.UTF-8"}, "ko", "en"),
        ("ko", {"FORWARDPASS_LANG": "en"}, "en", "ko"),
        ("en", {"LANG": "ko_KR.UTF-8"}, None, "en"),
        (None, {"FORWARDPASS_LANG": "ko_KR.UTF-8"}, None, "ko"),
        (None, {"FORWARDPASS_LANG": "KO"}, None, "ko"),
    ],
)
def test_the_language_comes_from_the_flag_the_environment_the_course_then_the_locale(
    flag: str | None, environ: dict[str, str], course: str | None, expected: str
) -> None:
    assert i18n.choose(flag, environ, course) == expected


@pytest.mark.parametrize(
    ("flag", "environ", "course", "named"),
    [
        ("fr", {}, None, "--lang"),
        (None, {"FORWARDPASS_LANG": "klingon"}, None, "FORWARDPASS_LANG"),
        (None, {}, "de", "course"),
    ],
)
def test_a_language_asked_for_by_name_that_forwardpass_does_not_speak_is_an_error(
    flag: str | None, environ: dict[str, str], course: str | None, named: str
) -> None:
    with pytest.raises(ValueError, match=named) as raised:
        i18n.choose(flag, environ, course)
    assert "en, ko" in str(raised.value)


def test_the_catalogs_come_from_forwardpass_unless_the_environment_names_others(tmp_path: Path) -> None:
    assert i18n.catalogs_in({}) == i18n.LOCALES
    assert i18n.catalogs_in({"FORWARDPASS_LOCALES": str(tmp_path)}) == tmp_path


def test_korean_speaks_korean_and_english_or_an_unknown_catalog_the_message_itself() -> None:
    message = "{message} Hint: {hint}"
    with i18n.speaking("ko"):
        assert _(message) != message and "{hint}" in _(message)
    with i18n.speaking("en"):
        assert _(message) == message
    with i18n.speaking("ko", Path("/nonexistent")):
        assert _(message) == message


def test_speaking_holds_in_its_block_and_thread_only(tmp_path: Path) -> None:
    pseudo = pseudo_catalogs(tmp_path)
    message = "{message} Hint: {hint}"
    elsewhere: list[str] = []
    with i18n.speaking("ko", pseudo):
        assert _(message) == "⟦{message} Hint: {hint}⟧"
        assert ngettext("{count} parameter", "{count} parameters", 2) == "⟦{count} parameters⟧"
        assert i18n.speech() == i18n.Speech("ko", pseudo)
        thread = threading.Thread(target=lambda: elsewhere.append(_(message)))
        thread.start()
        thread.join()
    assert elsewhere == [message]  # another thread speaks the process's language, English here
    assert _(message) == message


def test_use_sets_the_language_of_the_whole_process(tmp_path: Path) -> None:
    pseudo = pseudo_catalogs(tmp_path)
    try:
        i18n.use("ko", pseudo)
        assert _("{message} Hint: {hint}") == "⟦{message} Hint: {hint}⟧" and i18n.language() == "ko"
        with i18n.speaking("en"):
            assert _("{message} Hint: {hint}") == "{message} Hint: {hint}"
    finally:
        i18n.use(i18n.ENGLISH)
    assert _("{message} Hint: {hint}") == "{message} Hint: {hint}"


def graders(*args: str, **environ: str) -> subprocess.CompletedProcess[str]:
    """``python -m graders ARGS`` with only ``environ`` besides what it needs to run."""
    return subprocess.run(
        [sys.executable, "-m", "graders", *args],
        cwd=registry.ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(registry.ROOT), "NO_COLOR": "1", **SERVICE_SETTING, **environ},
    )


def test_make_hands_lang_to_the_command() -> None:
    """`make check LANG=ko_KR.UTF-8`: a variable set on make's command line reaches the command's environment."""
    venv = registry.ROOT / ".venv"
    command = ["make", "--no-print-directory", "check", "EX=01", "LANG=ko_KR.UTF-8", f"VENV={venv}"]
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "FORWARDPASS_LANG"))}
    done = subprocess.run(
        [*command, f"--assume-old={venv / '.ready'}"],
        cwd=registry.ROOT,
        env={**environment, "NO_COLOR": "1", **SERVICE_SETTING},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "아직 구현되지 않았습니다" in done.stdout and "not implemented" not in done.stdout, done.stdout


@pytest.mark.parametrize(
    ("flag", "environ", "korean"),
    [
        ((), {}, False),
        (("--lang", "ko"), {}, True),
        ((), {"LANG": "ko_KR.UTF-8"}, True),  # what `make check LANG=ko_KR.UTF-8` hands the command
        ((), {"LANG": "ko_KR.UTF-8", "LC_ALL": "en_US.UTF-8"}, False),
        ((), {"FORWARDPASS_LANG": "ko"}, True),
        (("--lang", "en"), {"FORWARDPASS_LANG": "ko"}, False),
    ],
)
def test_a_command_speaks_the_language_it_is_given(
    flag: tuple[str, ...], environ: dict[str, str], korean: bool
) -> None:
    stub = registry.stub_path(registry.get("ex01_my_model"))
    result = graders("check", str(stub), *flag, **environ)
    assert result.returncode == 1, result.stderr
    assert ("아직 구현되지 않았습니다" in result.stdout) is korean, result.stdout
    assert ("is not implemented yet" in result.stdout) is not korean, result.stdout


def test_a_language_forwardpass_does_not_speak_is_a_usage_error() -> None:
    result = graders("check", "--lang", "fr")
    assert result.returncode == 2 and "invalid choice: 'fr'" in result.stderr
    result = graders("check", FORWARDPASS_LANG="klingon")
    assert result.returncode == 2 and "FORWARDPASS_LANG names 'klingon'" in result.stderr


def test_reset_gives_the_stub_in_the_chosen_language_and_stubs_stay_english_unless_asked(tmp_path: Path) -> None:
    mine = tmp_path / "ex05_activation_recorder.py"
    mine.write_text("# my attempt\n")
    solution = registry.solution_path(registry.get("ex05_activation_recorder"))
    result = graders("reset", str(mine), "--lang", "ko", FORWARDPASS_STATE=str(tmp_path / "state"))
    assert result.returncode == 0, result.stderr
    assert mine.read_text(encoding="utf-8") == stub_for(solution, "ko") != stub_for(solution)
    assert "되돌렸습니다" in result.stdout

    english, korean = tmp_path / "en", tmp_path / "ko"
    assert write_stubs(registry.SOLUTIONS, english, ["ex05_activation_recorder"])
    assert write_stubs(registry.SOLUTIONS, korean, ["ex05_activation_recorder"], "ko")
    assert (english / mine.name).read_text(encoding="utf-8") == stub_for(solution)
    assert (korean / mine.name).read_text(encoding="utf-8") == stub_for(solution, "ko")


def test_a_phrase_is_said_in_the_language_of_where_it_is_shown(tmp_path: Path) -> None:
    hidden = i18n.Phrase(i18n.N_("MultiHeadNet of depth 1 with a single head"))
    called = i18n.Phrase(i18n.N_("{called}, on a hidden batch"), called=hidden)
    assert str(called) == f"{called}" == "MultiHeadNet of depth 1 with a single head, on a hidden batch"
    with i18n.speaking("ko", pseudo_catalogs(tmp_path)):
        assert f"{called:>3}" == "⟦⟦MultiHeadNet of depth 1 with a single head⟧, on a hidden batch⟧"
    with i18n.speaking("ko"):
        assert str(called).startswith("깊이 1에 헤드가 하나인 MultiHeadNet")


@pytest.mark.parametrize(
    ("called", "described"),
    [
        ("", "running"),
        ("MyModel()(x)", "running `MyModel()(x)`"),
        ("importing your file", "importing your file"),  # what the grader does is said, not quoted
        ("파일 가져오기", "파일 가져오기"),  # and so is what the worker said in the student's language
    ],
)
def test_what_the_probe_ran_is_quoted_as_code_and_what_it_did_said_in_words(called: str, described: str) -> None:
    assert describe_call(called) == described


def test_a_step_the_probe_describes_in_words_is_said_as_prose_and_its_backward_too() -> None:
    stages: list[str] = []  # what the worker reports as the step it is at
    probe = Probe("submission.py", public_seed=1, secret_seed=2, hidden=True, on_stage=stages.append)
    hidden = i18n.Phrase(i18n.N_("{called} on hidden inputs of other batch and image sizes"), called="MyModel()(x)")
    probe.backward("gradients", hidden, torch.ones(2, requires_grad=True) * 2, {})
    assert stages == [
        "running backward() on the output of MyModel()(x) on hidden inputs of other batch and image sizes"
    ]
    assert describe_call(stages[0]) == stages[0]  # not quoted as if it were code
    stages.clear()
    probe.backward("gradients", "MyModel()(x)", torch.ones(2, requires_grad=True) * 2, {})
    assert stages == ["MyModel()(x).backward(gradient)"]
