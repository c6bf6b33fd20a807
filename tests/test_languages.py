"""Every sentence a student reads comes from the catalogs, in the chosen language.

Every reference, stub and test submission is graded and its reports rendered (the terminal, feedback.md,
Gradescope's tests) three ways: under a pseudo-locale that marks every message, where no prose may stand
outside the marks (a sentence that bypassed the catalog shows as unmarked); in Korean, where no English
sentence may stand outside code spans; and in English through the catalogs, which must read as without
them.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console

from graders import i18n, registry
from graders.bulk.feedback import exercise_section
from graders.engine.client import Engine
from graders.reporters.gradescope import tests as gradescope_tests
from graders.reporters.terminal import print_exercise, print_run
from graders.results import ExerciseResult, RunResult
from tests.conftest import all_cases, grade_paths, selected_ids
from tests.languages import CLOSE, CODE, OPEN, identity_catalogs, pseudo_catalogs

# A word of prose: letters only (an identifier, a path or a number is not prose).
WORD = re.compile(r"(?<![\w./`'\"-])[A-Za-z][a-z]+(?:'[a-z]+)?(?![\w(./`'\"-])")
# Four English words in a row, separated by single spaces: a sentence, where a list of names has commas.
ENGLISH_SENTENCE = re.compile(r"\b[A-Za-z][A-Za-z'’-]*(?: [A-Za-z][A-Za-z'’-]*){3,}")
# What the student's code raised, as Python or torch said it ("RuntimeError: ..."): their value, up to the
# next Korean word.
RAISED = re.compile(r"\b\w+(?:Error|Exception|Interrupt|Exit|Warning): [^가-힣]*")


def graded_files() -> list[tuple[str, Path]]:
    """Every reference, stub and test submission of the exercises under test."""
    items = []
    for exercise_id in selected_ids():
        exercise = registry.get(exercise_id)
        items += [(exercise_id, registry.solution_path(exercise)), (exercise_id, registry.stub_path(exercise))]
    return items + [(case.exercise_id, case.path) for case in all_cases()]


def rendered(results: list[ExerciseResult]) -> Iterator[tuple[str, str]]:
    """(what, text) for every report of every result, in the language spoken where it is called."""
    for result in results:
        name = Path(result.file).relative_to(registry.ROOT).as_posix()
        console = Console(file=io.StringIO(), width=100, color_system=None, highlight=False, soft_wrap=True)
        print_exercise(console, result, show_output=False)
        yield f"{name}: terminal", console.file.getvalue()
        yield f"{name}: feedback.md", "\n".join(exercise_section(registry.get(result.id), result, absent=False))
        for test in gradescope_tests(result):
            yield f"{name}: Gradescope test", f"{test['name']}\n{test['output']}"
    learner = [result for result in results if Path(result.file).parent == registry.EXERCISES]
    if learner:
        console = Console(file=io.StringIO(), width=100, color_system=None, highlight=False, soft_wrap=True)
        print_run(RunResult(tuple(learner), "reduced", "a reason"), console)
        yield "a learner's exercises/: terminal", console.file.getvalue()


def graded_in(engine: Engine, language: str, catalogs: Path, files: list[tuple[str, Path]]) -> list[tuple[str, str]]:
    with i18n.speaking(language, catalogs):
        return list(rendered(grade_paths(engine, files)))


def outside_marks(text: str) -> str:
    """``text`` with every pseudo-translated message (``⟦…⟧``, nested ones too) blanked, lines kept."""
    kept, depth = [], 0
    for character in text:
        depth += (character == OPEN) - (character == CLOSE)
        kept.append(character if (depth == 0 and character not in (OPEN, CLOSE)) or character == "\n" else " ")
    return "".join(kept)


@pytest.mark.slow
def test_every_sentence_of_every_report_comes_from_the_catalog(engine: Engine, tmp_path: Path) -> None:
    renderings = graded_in(engine, "ko", pseudo_catalogs(tmp_path), graded_files())
    assert all(OPEN in text for _what, text in renderings), "the pseudo-locale was not used"
    unmarked = []
    for what, text in renderings:
        for line, original in zip(outside_marks(text).splitlines(), text.splitlines(), strict=True):
            words = WORD.findall(CODE.sub(" ", line))
            if words:
                unmarked.append(f"{what}: {words} in {original.strip()[:160]!r}")
    assert not unmarked, f"{len(unmarked)} lines hold text that bypassed the catalog:\n" + "\n".join(unmarked[:30])


@pytest.mark.slow
def test_korean_reports_hold_no_english_sentence_outside_code(engine: Engine) -> None:
    renderings = graded_in(engine, "ko", i18n.LOCALES, graded_files())
    assert any("모범 답안" in text for _what, text in renderings), "the Korean catalog was not used"
    english = []
    for what, text in renderings:
        for line in RAISED.sub(" ", text).splitlines():
            if runs := ENGLISH_SENTENCE.findall(CODE.sub(" ", line)):
                english.append(f"{what}: {runs} in {line.strip()[:160]!r}")
    assert not english, f"{len(english)} lines hold English:\n" + "\n".join(english[:30])


def test_english_through_the_catalogs_reads_as_without_them(engine: Engine, tmp_path: Path) -> None:
    """A catalog that translates every message to itself changes no byte of any report, and neither does
    choosing English: the text is the one the code writes."""
    sample = [(case.exercise_id, case.path) for case in all_cases()[::25]]
    without = graded_in(engine, i18n.ENGLISH, tmp_path / "no catalogs", sample)
    assert graded_in(engine, i18n.ENGLISH, identity_catalogs(tmp_path / "identity"), sample) == without
    assert graded_in(engine, i18n.choose(None, {"LANG": "en_US.UTF-8"}), i18n.LOCALES, sample) == without
    assert len(without) > len(sample)
