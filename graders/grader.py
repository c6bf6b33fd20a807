"""How a command grades: through the warm engine service when it can be reached, else with an
engine of its own, as it always could. Both run the same code (``grading.grade`` on an ``Engine``),
so the results cannot tell them apart; ``open_grader`` is the one place that chooses.

Used by ``check``, ``watch``, ``submit``, ``solution`` and the pytest plugin. Bulk grading keeps an
engine of its own (``bulk/run.py``): a class is one long run, with nothing to keep warm between.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from graders import fingerprint, i18n
from graders.engine.client import EngineError
from graders.engine.sandbox import Isolation
from graders.options import Options
from graders.results import ExerciseResult
from graders.service import client
from graders.text import print_diagnostic

if TYPE_CHECKING:
    from graders.engine.client import Engine
    from graders.service.protocol import Channel
    from graders.sources import Submission

ATTEMPTS = 2  # a service that stopped between two requests (unused, stale) is started afresh once


class Grader:
    """Grades submissions with options; ``isolation`` is that of the engine that graded last. Close
    it (or use it as a context manager) when the command is done."""

    def grade(self, submissions: Sequence[Submission], options: Options) -> list[ExerciseResult]:
        raise NotImplementedError

    @property
    def isolation(self) -> Isolation:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Grader:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class LocalGrader(Grader):
    """An engine of this command's own, started at once: the zygote imports torch while this process
    does too, at its first grading."""

    def __init__(self, jobs: int | None = None):
        from graders.engine.client import Engine

        self.engine: Engine = Engine(jobs=jobs)
        self.engine.start()

    def grade(self, submissions: Sequence[Submission], options: Options) -> list[ExerciseResult]:
        from graders.grading import grade

        return grade(submissions, self.engine, options)

    @property
    def isolation(self) -> Isolation:
        return self.engine.isolation

    def close(self) -> None:
        self.engine.close()


class ServiceGrader(Grader):
    """The warm engine service, started now if none runs (it warms up while the command goes on);
    where it cannot be reached, or fails, a ``LocalGrader`` from then on."""

    def __init__(self) -> None:
        self.channel: Channel | None = client.reach()
        self.local = LocalGrader() if self.channel is None else None
        self.last: Isolation | None = None

    def grade(self, submissions: Sequence[Submission], options: Options) -> list[ExerciseResult]:
        if self.local is None:
            answer = self.request(
                {
                    "command": "grade",
                    "fingerprint": fingerprint.service(),
                    "language": i18n.language(),
                    "catalogs": str(i18n.speech().catalogs),
                    "options": options.to_json(),
                    "submissions": [
                        {"exercise": s.exercise_id, "path": str(s.path.absolute()), "label": s.label}
                        for s in submissions
                    ],
                }
            )
            if answer is not None and "error" not in answer:
                if answer["diagnostics"]:
                    print_diagnostic(answer["diagnostics"].rstrip("\n"))
                if "engine_error" in answer:
                    raise EngineError(answer["engine_error"])
                self.last = Isolation(**answer["isolation"])
                return [ExerciseResult.from_record(record) for record in answer["results"]]
            if answer is not None:
                print_diagnostic(f"forwardpass: the warm engine service failed; grading here.\n{answer['error']}")
            self.local = LocalGrader()
        return self.local.grade(submissions, options)

    def request(self, message: dict) -> dict | None:
        """The service's answer; None where none could be had. A service that says it is stopping
        (asked to, or stale) is replaced by a fresh one."""
        for _attempt in range(ATTEMPTS):
            if self.channel is None:
                self.channel = client.reach()
            if self.channel is None:
                return None
            try:
                self.channel.send(message)
                answer = self.channel.receive()
            except (OSError, ValueError):
                answer = None
            if answer is not None and "stopping" not in answer:
                return answer
            self.channel.close()
            self.channel = None
        return None

    @property
    def isolation(self) -> Isolation:
        if self.local is not None:
            return self.local.isolation
        if self.last is None:
            raise RuntimeError("nothing was graded yet")
        return self.last

    def close(self) -> None:
        if self.channel is not None:
            self.channel.close()
            self.channel = None
        if self.local is not None:
            self.local.close()


def open_grader(jobs: int | None = None) -> Grader:
    """The warm engine service (``graders/service/``), or an engine of the command's own where it is
    turned off (``FORWARDPASS_ENGINE_SERVICE=off``) or ``jobs`` asks for a parallelism of its own
    (the service's engine uses every core)."""
    if jobs is None and client.enabled():
        return ServiceGrader()
    return LocalGrader(jobs)
