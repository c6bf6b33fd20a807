"""How to grade: the hidden checks or not, the secret seed their inputs come from, the limits per job.

A value of its own, without torch, so that a command can say how to grade before it knows where the
grading happens: in its own process or in the warm engine service (``graders/grader.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graders import registry
from graders.engine.limits import Limits


@dataclass(frozen=True)
class Options:
    include_hidden: bool = False
    secret_seed: int = registry.DEFAULT_SECRET_SEED
    limits: Limits = field(default_factory=Limits)

    def to_json(self) -> dict[str, Any]:
        return {"include_hidden": self.include_hidden, "secret_seed": self.secret_seed, "limits": self.limits.to_dict()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Options:
        return cls(bool(data["include_hidden"]), int(data["secret_seed"]), Limits.from_dict(data["limits"]))
