"""The audit of every assignment: each sentence that states a behaviour is tested by a check, and
each check tests something a sentence states (graders/assignment.py)."""

from __future__ import annotations

import pytest

from graders import assignment, concepts, registry
from graders.spec import Claim, Exercise


@pytest.mark.parametrize("exercise_id", registry.ids())
def test_every_sentence_of_the_assignment_is_accounted_for(exercise_id: str) -> None:
    exercise = registry.get(exercise_id)
    problems = assignment.audit_file(exercise, registry.stub_path(exercise))
    assert not problems, f"{exercise_id}'s claims (graders/exercises/{exercise_id}.py):\n- " + "\n- ".join(problems)


@pytest.mark.parametrize("exercise_id", registry.ids())
def test_every_check_names_a_concept_of_the_lecture(exercise_id: str) -> None:
    for check in registry.get(exercise_id).checks:
        assert concepts.get(check.concept)


SOURCE = '''"""Exercise 99 — a title.

A paragraph that teaches. It has two sentences, e.g. this one.

Write ``double(x)``:

* it returns ``2 * x``;
* it never changes ``x``.

Example::

    >>> double(torch.ones(2))
    tensor([2., 2.])
"""


def double(x):
    """Twice x."""
'''


def toy(claims: tuple[Claim, ...], prose: tuple[str, ...], checks: tuple[str, ...] = ("doubles", "keeps")) -> Exercise:
    exercise = Exercise(id="ex99_toy", title="toy")
    for check_id in checks:
        exercise.check(points=1, concept="forward", id=check_id)(lambda s, r: None)
    exercise.claims, exercise.prose = claims, prose
    return exercise


def test_sentences_split_bullets_and_keep_an_example_whole() -> None:
    found = [sentence.text for sentence in assignment.sentences(SOURCE)]
    assert found == [
        "Exercise 99 — a title.",
        "A paragraph that teaches.",
        "It has two sentences, e.g. this one.",
        "Write ``double(x)``:",
        "it returns ``2 * x``;",
        "it never changes ``x``.",
        ">>> double(torch.ones(2)) tensor([2., 2.])",
        "Twice x.",
    ]


def test_the_audit_passes_when_everything_is_accounted_for_and_names_what_is_not() -> None:
    claims = (
        Claim("returns ``2 * x``", ("doubles",)),
        Claim("never changes ``x``", ("keeps",)),
        Claim(">>> double(torch.ones(2))", ("doubles",)),
        Claim("Twice x.", ("doubles",)),
        Claim("Write ``double(x)``", ("doubles",)),
    )
    prose = ("Exercise 99", "A paragraph that teaches.", "It has two sentences")
    assert assignment.audit(toy(claims, prose), SOURCE) == []

    problems = assignment.audit(toy(claims[1:], (*prose, "a sentence that is not there")), SOURCE)
    assert problems == [
        "quotes a passage the assignment does not hold: 'a sentence that is not there'",
        "the module's docstring: no claim or prose accounts for 'it returns ``2 * x``;'",
    ]

    unclaimed = assignment.audit(toy(claims, prose, checks=("doubles", "keeps", "extra")), SOURCE)
    assert unclaimed == ["check 'extra' tests what no sentence of the assignment says: add a claim"]

    empty = assignment.audit(toy((*claims, Claim("Twice x.", ())), prose), SOURCE)
    assert empty == ["a claim names no check (test it, or say it as prose): 'Twice x.'"]
