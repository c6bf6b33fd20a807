"""The lecture's ideas, the fixed list every check is tagged with.

Reports group checks by these (a class's mastery per idea), so the list is short and stable: one
entry per idea of the lecture, in the order it teaches them. A check names its concept where it is
declared (``@exercise.check(points=..., concept="tree")``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Concept:
    id: str
    title: str


CONCEPTS: tuple[Concept, ...] = (
    Concept("subclass", "Subclassing nn.Module: layers built and registered in __init__"),
    Concept("forward", "forward, module(x) versus module.forward(x), and hooks"),
    Concept("tree", "The module tree: children(), modules(), named_modules(), get_submodule()"),
    Concept("parameters", "Parameters, buffers and state_dict()"),
    Concept("autograd", "A parameter's data, grad and requires_grad; freezing"),
    Concept("checkpoints", "Saving and loading: state_dict() and load_state_dict()"),
    Concept("evaluation", "Validation: eval() with torch.no_grad()"),
)
BY_ID = {concept.id: concept for concept in CONCEPTS}


def get(concept_id: str) -> Concept:
    try:
        return BY_ID[concept_id]
    except KeyError:
        known = ", ".join(BY_ID)
        raise ValueError(f"unknown concept {concept_id!r}: use one of {known} (graders/concepts.py)") from None
