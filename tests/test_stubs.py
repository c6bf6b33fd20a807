"""solutions/ is the single source: exercises/ must be exactly what `make stubs` generates."""

from __future__ import annotations

import ast

import pytest

from graders import registry
from graders.stubs import StubError, make_stub, stale_stubs

SOLUTION = '''"""The assignment."""

import torch


class Model(torch.nn.Module):
    """Keep me."""

    def __init__(self, size: int):
        ### BEGIN SOLUTION
        super().__init__()
        self.size = size
        ### END SOLUTION

    def forward(self, x):
        """And me."""
        ### BEGIN SOLUTION
        return x * self.size
        ### END SOLUTION


def helper(x):
    def inner():
        ### BEGIN SOLUTION
        return x
        ### END SOLUTION

    return inner
'''


def test_exercises_are_generated_from_solutions() -> None:
    stale = stale_stubs(registry.SOLUTIONS, registry.EXERCISES)
    assert not stale, (
        f"{', '.join(str(p.relative_to(registry.ROOT)) for p in stale)} differ from what solutions/ generates: "
        "run `make stubs` and commit the result (authors only; it overwrites exercises/)."
    )


def test_every_exercise_has_a_solution_and_a_stub() -> None:
    for exercise_id in registry.ids():
        exercise = registry.get(exercise_id)
        assert registry.solution_path(exercise).exists(), f"{exercise_id} has no solution in solutions/"
        assert registry.stub_path(exercise).exists(), f"{exercise_id} has no stub in exercises/: run `make stubs`"


def test_regions_become_not_implemented_and_the_rest_stays() -> None:
    stub = make_stub(SOLUTION)
    assert 'raise NotImplementedError("Model.__init__ is not implemented yet")' in stub
    assert 'raise NotImplementedError("Model.forward is not implemented yet")' in stub
    assert 'raise NotImplementedError("helper.<locals>.inner is not implemented yet")' in stub
    assert "self.size = size" not in stub and "return x * self.size" not in stub
    assert "SOLUTION" not in stub
    for kept in ('"""The assignment."""', "def __init__(self, size: int):", '"""Keep me."""', '"""And me."""'):
        assert kept in stub
    ast.parse(stub)


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("x = 1\n### BEGIN SOLUTION\ny = 2\n### END SOLUTION\n", "inside a function"),
        ("def f():\n    ### BEGIN SOLUTION\n    return 1\n", "matching"),
        ("def f():\n    return 1\n    ### END SOLUTION\n", "without a"),
    ],
)
def test_malformed_regions_are_reported_to_the_author(source: str, problem: str) -> None:
    with pytest.raises(StubError, match=problem):
        make_stub(source)
