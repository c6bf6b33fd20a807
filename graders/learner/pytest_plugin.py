"""The checks as pytest items, so the test panels of VS Code and PyCharm show them.

``exercises/conftest.py`` imports these hooks. Every ``exNN_*.py`` (or ``.ipynb``) file becomes a
collector with one item per public check, named by the check's id (read from the catalog of
outlines: collecting imports no torch). The first item that runs grades every collected file in one
batch, through one grader for the whole session (``graders/grader.py``), in the same sandbox as
``check``; each item then only reads its check's result, and a failing one shows the message
``check`` prints (as the course's hint policy lets its students read it). pytest-timeout's limit
applies to every item as to any test.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import pytest

from graders import catalog, i18n, registry
from graders.i18n import _
from graders.results import ExerciseResult

SUFFIXES = (".py", ".ipynb")


def exercise_of(path: Path) -> str | None:
    if path.suffix not in SUFFIXES or path.name.startswith((".", "_")):
        return None
    return registry.lookup(path.name)


class CheckFailed(Exception):
    """A check did not pass; its message is the whole report."""


class Grading:
    """One grader for the session (the warm engine service, or an engine of its own), opened when
    the first item runs; results by file."""

    def __init__(self) -> None:
        self.grader = None
        self.results: dict[Path, ExerciseResult] = {}
        self.isolation_note: str | None = None

    def result(self, item: CheckItem) -> ExerciseResult:
        if item.path not in self.results:
            files = {i.path: i.exercise_id for i in item.session.items if isinstance(i, CheckItem)}
            files = {path: exercise for path, exercise in files.items() if path not in self.results}
            files.setdefault(item.path, item.exercise_id)
            self.grade(files)
        return self.results[item.path]

    def grade(self, files: dict[Path, str]) -> None:
        from graders.commands import course_of
        from graders.grader import open_grader
        from graders.options import Options
        from graders.policy import shown
        from graders.sources import Submission

        if self.grader is None:
            self.grader = open_grader()
        submissions = [Submission(exercise, path, str(path)) for path, exercise in files.items()]
        results = shown(self.grader.grade(submissions, Options()), course_of(argparse.Namespace()).hints)
        for submission, result in zip(submissions, results, strict=True):
            self.results[submission.path] = result
        isolation = self.grader.isolation
        if isolation.level != "full":
            self.isolation_note = _("isolation: reduced — {reason}").format(reason=isolation.reason)

    def close(self) -> None:
        if self.grader is not None:
            self.grader.close()
            self.grader = None


GRADING = pytest.StashKey[Grading]()


def grading(config: pytest.Config) -> Grading:
    if GRADING not in config.stash:
        config.stash[GRADING] = Grading()
    return config.stash[GRADING]


class ExerciseFile(pytest.File):
    """An exercise file: one item per public check of its exercise."""

    def collect(self):
        exercise = catalog.outline(exercise_of(self.path))
        for check in exercise.selected_checks(include_hidden=False):
            yield CheckItem.from_parent(self, name=check.id, exercise_id=exercise.id, title=check.title)


class CheckItem(pytest.Item):
    def __init__(self, *, exercise_id: str, title: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.exercise_id = exercise_id
        self.title = title

    def runtest(self) -> None:
        from graders.engine.client import EngineError
        from graders.explain import ENGINE_FAILED

        try:
            result = grading(self.config).result(self)
        except EngineError as failure:
            raise CheckFailed(_(ENGINE_FAILED).format(failure=failure)) from None
        check = next(check for check in result.checks if check.id == self.name)
        self.user_properties.append(("points", f"{check.points:g}/{check.max_points:g}"))
        if not check.passed:
            raise CheckFailed(_("{message}\n(check: {title})").format(message=check.message, title=_(self.title)))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, CheckFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, None, self.exercise_id + ": " + _(self.title)


def pytest_configure(config: pytest.Config) -> None:
    """The checks speak the learner's language, chosen as a command chooses it (``i18n.choose``)."""
    from graders.commands import course_language

    try:
        language = i18n.choose(None, os.environ, course_language(argparse.Namespace()))
    except ValueError as error:  # a FORWARDPASS_LANG it does not speak: said, and English
        config.issue_config_time_warning(pytest.PytestConfigWarning(str(error)), stacklevel=2)
        language = i18n.ENGLISH
    i18n.use(language, i18n.catalogs_in(os.environ))


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """Exercise files found in a folder (pytest's own Python collector skips them: they are not
    named test_*.py)."""
    if exercise_of(file_path) and (file_path.suffix != ".py" or not parent.session.isinitpath(file_path)):
        return ExerciseFile.from_parent(parent, path=file_path)
    return None


def pytest_pycollect_makemodule(module_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """An exercise .py file named on the command line, which pytest would import as a test
    module: collect its checks instead, without running the learner's code in pytest."""
    if exercise_of(module_path):
        return ExerciseFile.from_parent(parent, path=module_path)
    return None


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    if GRADING not in config.stash:
        return
    state = config.stash[GRADING]
    if state.results:
        passed = sum(result.status == "passed" for result in state.results.values())
        terminalreporter.write_line(
            _("forwardpass: {passed}/{total} exercises pass every check").format(
                passed=passed, total=len(state.results)
            )
        )
    if state.isolation_note:
        terminalreporter.write_line(state.isolation_note)


def pytest_sessionfinish(session: pytest.Session) -> None:
    if GRADING in session.config.stash:
        session.config.stash[GRADING].close()
