"""How to grade: the hidden checks or not, the secret seed their inputs come from, the limits per job.

A value of its own, without torch, so that a command can say how to grade before it knows where the
grading happens.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graders import registry
from graders.engine.limits import Limits


@dataclass(frozen=True)
class Options:
    include_hidden: bool = False
    secret_seed: int = registry.DEFAULT_SECRET_SEED
    limits: Limits = field(default_factory=Limits)
