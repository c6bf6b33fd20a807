"""Building blocks for checks: comparisons that explain themselves to a student.

Every message follows one pattern — what we called, what came back, what we expected, and a
hint — and always says which value is the student's ("yours") and which the reference's.
Messages of hidden checks never show the hidden inputs or the reference's values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import torch

from graders.spec import Verdict, fail, ok

RTOL, ATOL = 1e-5, 1e-6


def count(n: int) -> str:
    return f"{n:,}"


def listed(names: Iterable[Any], limit: int | None = 6, quote: str = "'", empty: str = "none") -> str:
    """Names in a sentence: ``'fc.weight', 'fc.bias' and 3 more``.

    ``limit`` is how many are shown (None: all), ``quote`` what each is wrapped in ("'", "`" or
    ""), ``empty`` what an empty listing reads. The order is the caller's: sort first if it matters.
    """
    names = [str(name) for name in names]
    if not names:
        return empty
    shown = ", ".join(f"{quote}{name}{quote}" for name in names[:limit])
    more = len(names) - limit if limit is not None else 0
    return shown + (f" and {count(more)} more" if more > 0 else "")


def shape_text(shape: Sequence[int]) -> str:
    return "(" + ", ".join(str(int(size)) for size in shape) + ("," if len(shape) == 1 else "") + ")"


def total_size(tensors: Any) -> int | None:
    """How many values recorded named tensors hold in all; None if they are not a mapping."""
    if not is_mapping(tensors):
        return None
    return sum(tensor.numel() for tensor in tensors.values() if is_tensor(tensor))


def shapes_listed(tensors: Mapping[str, Any]) -> str:
    """Recorded named tensors with their shapes: ``fc1.weight (32, 8), fc1.bias (32,)``, or ``none``."""
    return listed((f"{name} {shape_text(tensor.shape)}" for name, tensor in tensors.items()), None, quote="")


def describe(value: Any) -> str:
    """How an observed value reads in a sentence."""
    if isinstance(value, torch.Tensor):
        return f"a tensor of shape {shape_text(value.shape)} ({str(value.dtype).removeprefix('torch.')})"
    if isinstance(value, dict) and "__object__" in value:
        return f"a {value['__object__']} ({value.get('repr', '')})"
    if isinstance(value, tuple | list):
        return f"a {type(value).__name__} of {len(value)} items"
    return repr(value)


def is_tensor(value: Any) -> bool:
    return isinstance(value, torch.Tensor)


def is_mapping(value: Any) -> bool:
    """A recorded dict, not the ``{"__object__": ...}`` that stands for some other object."""
    return isinstance(value, dict) and "__object__" not in value


def compare_shapes(
    called: str, yours: Any, reference: torch.Tensor, what: str = "output", hint: str | None = None
) -> Verdict:
    if not is_tensor(yours):
        return fail(f"Called {called}: yours returned {describe(yours)}; the reference returns a tensor.")
    if tuple(yours.shape) == tuple(reference.shape):
        return ok(f"Called {called}: your {what} has shape {shape_text(yours.shape)}, as expected.")
    return fail(
        f"Called {called}: your {what} has shape {shape_text(yours.shape)}; "
        f"the reference's is {shape_text(reference.shape)}.",
        hint,
    )


def difference(yours: torch.Tensor, reference: torch.Tensor) -> tuple[int, float, tuple[int, ...]]:
    """How many elements differ beyond tolerance, the largest difference, and where it is."""
    yours, reference = yours.double(), reference.double()
    close = torch.isclose(yours, reference, rtol=RTOL, atol=ATOL, equal_nan=True)
    gap = (yours - reference).abs().nan_to_num(nan=float("inf"))
    worst = int(gap.argmax()) if gap.numel() else 0
    index = tuple(int(i) for i in torch.unravel_index(torch.tensor(worst), yours.shape)) if yours.dim() else ()
    return int((~close).sum()), float(gap.max()) if gap.numel() else 0.0, index


def alike(yours: Any, reference: Any, tensors_agree: Callable[[torch.Tensor, torch.Tensor], bool]) -> bool:
    """Whether observed data has the reference's structure, with tensors compared by ``tensors_agree``.

    Mappings need the same keys (in any order), lists and tuples the same type and length, and
    any other value the same type and ``==``; a recorded object never equals a plain value.
    """
    if is_tensor(reference):
        return is_tensor(yours) and tensors_agree(yours, reference)
    if isinstance(reference, Mapping):
        return (
            isinstance(yours, Mapping)
            and yours.keys() == reference.keys()
            and all(alike(yours[key], item, tensors_agree) for key, item in reference.items())
        )
    if isinstance(reference, list | tuple):
        return (
            type(yours) is type(reference)
            and len(yours) == len(reference)
            and all(alike(a, b, tensors_agree) for a, b in zip(yours, reference, strict=True))
        )
    return type(yours) is type(reference) and yours == reference


def identical(yours: Any, reference: Any) -> bool:
    """Bit for bit: tensors of the same dtype, shape and values (NaN never equals NaN), in the
    same structure of mappings and sequences, other values of the same type and equal."""
    return alike(yours, reference, tensors_identical)


def values_match(yours: Any, reference: Any) -> bool:
    """Equal within the checks' tolerance: tensors of the same shape (any floating dtype, NaN
    matching NaN), alone or in the same structure of mappings and sequences."""
    return alike(yours, reference, tensors_close)


def tensors_identical(yours: torch.Tensor, reference: torch.Tensor) -> bool:
    return yours.dtype == reference.dtype and yours.shape == reference.shape and bool(torch.equal(yours, reference))


def tensors_close(yours: torch.Tensor, reference: torch.Tensor) -> bool:
    if yours.shape != reference.shape:
        return False
    if yours.dtype == reference.dtype and torch.equal(yours, reference):  # most right answers: cheap
        return True
    return bool(torch.allclose(yours.double(), reference.double(), rtol=RTOL, atol=ATOL, equal_nan=True))


def compare_values(
    called: str,
    yours: Any,
    reference: torch.Tensor,
    hint: str | Callable[[torch.Tensor, torch.Tensor], str | None] | None = None,
    hidden: bool = False,
) -> Verdict:
    """Compare a tensor with the reference's, element by element within a tight tolerance.

    ``hint`` may be a function of (yours, reference) that diagnoses the mistake from the values.
    """
    if not is_tensor(yours):
        return fail(f"Called {called}: yours returned {describe(yours)}; the reference returns a tensor.")
    if yours.shape != reference.shape:
        shapes = (
            "it has a different shape from the reference's"
            if hidden
            else f"yours has shape {shape_text(yours.shape)}, the reference's {shape_text(reference.shape)}"
        )
        return fail(f"Called {called}: the values cannot match because {shapes}.")
    if values_match(yours, reference):
        return ok(f"Called {called}: your values match the reference's.")
    wrong, largest, where = difference(yours, reference)
    text = hint(yours, reference) if callable(hint) else hint
    if hidden:
        return fail(f"Called {called}: your values differ from the reference's.", text)
    at = f"[{', '.join(map(str, where))}]" if where else ""
    example = (
        f"; at {at} yours is {float(yours[where]):.4g}, the reference's {float(reference[where]):.4g}" if where else ""
    )
    return fail(
        f"Called {called}: {count(wrong)} of {count(reference.numel())} values differ from the "
        f"reference's (largest difference {largest:.3g}{example}).",
        text,
    )


def compare_named(
    called: str,
    yours: Any,
    reference: Mapping[str, torch.Tensor],
    hint: str | Callable[[torch.Tensor, torch.Tensor], str | None] | None = None,
    hidden: bool = False,
    what: str = "parameter",
) -> Verdict:
    """Compare named tensors (a model's parameters, a state_dict) with the reference's, name by
    name with ``compare_values``; the first that differs is reported. Hidden: no name is shown."""
    if not is_mapping(yours) or yours.keys() != reference.keys():
        if hidden:
            return fail(f"Called {called}: your {what}s have other names than the reference's.")
        names = listed(sorted(yours)) if is_mapping(yours) else describe(yours)
        return fail(f"Called {called}: your {what}s are {names}; the reference's are {listed(sorted(reference))}.")
    for name, tensor in reference.items():
        which = called if hidden else f"{called}, {what} {name!r}"
        verdict = compare_values(which, yours[name], tensor, hint, hidden=hidden)
        if not verdict.passed:
            return verdict
    return ok(f"Called {called}: all {count(len(reference))} {what}s match the reference's.")


def compare_fields(
    what: str,
    yours: Mapping[str, Any] | None,
    reference: Mapping[str, Any],
    labels: Mapping[str, str],
    missing_hint: str | None = None,
) -> Verdict:
    """Compare two descriptions field by field, naming each field that differs.

    ``labels`` turns a field into words: ``{"out_channels": "{} output channels"}`` gives
    "your conv2 has 10 output channels; the reference's has 20 output channels".
    """
    if yours is None:
        return fail(f"Your model has no {what}.", missing_hint)
    if yours.get("type") != reference.get("type"):
        return fail(f"Your {what} is a {yours.get('type')}; the reference's is a {reference.get('type')}.")
    differences = [
        f"{labels.get(key, key + ' {}').format(yours.get(key))}; "
        f"the reference's has {labels.get(key, key + ' {}').format(value)}"
        for key, value in reference.items()
        if key in labels and yours.get(key) != value
    ]
    if differences:
        return fail(f"Your {what} has " + ", and ".join(differences) + ".")
    return ok(f"Your {what} matches the reference's: {reference.get('text', reference.get('type'))}.")
