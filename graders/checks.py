"""Building blocks for checks: comparisons that explain themselves to a student.

Every message follows one pattern — what we called, what came back, what we expected, and a
hint — and always says which value is the student's ("yours") and which the reference's.
Messages of hidden checks never show the hidden inputs or the reference's values.

In order: words for messages; what recorded data is and whether it agrees with the reference's;
the comparisons, each a Verdict; gradients; and the recognition of a wrong way of computing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from typing import Any

import torch

from graders.i18n import N_, Phrase, _
from graders.probe import PLACEHOLDERS
from graders.spec import Verdict, fail, ok

RTOL, ATOL = 1e-5, 1e-6


# -- words for messages ------------------------------------------------------------------------------------


def count(n: int) -> str:
    return f"{n:,}"


def listed(names: Iterable[Any], limit: int | None = 6, quote: str = "'", empty: str | None = None) -> str:
    """Names in a sentence: ``'fc.weight', 'fc.bias' and 3 more``.

    ``limit`` is how many are shown (None: all), ``quote`` what each is wrapped in ("'", "`" or
    ""), ``empty`` what an empty listing reads ("none"). The order is the caller's: sort first if it matters.
    """
    names = [str(name) for name in names]
    if not names:
        return _("none") if empty is None else empty
    shown = ", ".join(f"{quote}{name}{quote}" for name in names[:limit])
    more = len(names) - limit if limit is not None else 0
    return _("{names} and {more} more").format(names=shown, more=count(more)) if more > 0 else shown


def shape_text(shape: Sequence[int]) -> str:
    return "(" + ", ".join(str(int(size)) for size in shape) + ("," if len(shape) == 1 else "") + ")"


def shapes_listed(tensors: Mapping[str, Any]) -> str:
    """Recorded named tensors with their shapes: ``fc1.weight (32, 8), fc1.bias (32,)``, or ``none``."""
    return listed((f"{name} {shape_text(tensor.shape)}" for name, tensor in tensors.items()), None, quote="")


def total_size(tensors: Any) -> int | None:
    """How many values recorded named tensors hold in all; None if they are not a mapping."""
    if not is_mapping(tensors):
        return None
    return sum(tensor.numel() for tensor in tensors.values() if is_tensor(tensor))


def shape_counts(tensors: Any) -> Counter[tuple[int, ...]]:
    """How many recorded tensors there are of each shape (none if ``tensors`` is not a mapping): what
    can be compared where an exercise leaves the names free."""
    if not is_mapping(tensors):
        return Counter()
    return Counter(tuple(tensor.shape) for tensor in tensors.values() if is_tensor(tensor))


def describe(value: Any) -> str:
    """How an observed value reads in a sentence."""
    if isinstance(value, torch.Tensor):
        return _("a tensor of shape {shape} ({dtype})").format(
            shape=shape_text(value.shape), dtype=str(value.dtype).removeprefix("torch.")
        )
    if isinstance(value, dict) and "__object__" in value and shape_of(value) is not None:
        return placeholder_text(str(value.get("repr", "")))  # "a complex64 tensor of shape …" says it all
    if isinstance(value, dict) and "__object__" in value:
        return _("a {type} ({repr})").format(
            type=value["__object__"], repr=placeholder_text(str(value.get("repr", "")))
        )
    if isinstance(value, tuple | list):
        return _("a {type} of {count} items").format(type=type(value).__name__, count=len(value))
    return repr(value)


@cache
def placeholder_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    fields = re.compile(r"\\\{(\w+)\\\}")
    return tuple((text, re.compile(fields.sub(r"(?P<\1>.+?)", re.escape(text)))) for text in PLACEHOLDERS)


def placeholder_text(text: str) -> str:
    """``text`` in the student's language if it is what the probe records in place of a value
    (``probe.PLACEHOLDERS``, recorded in English like every value); other text as it is."""
    for template, pattern in placeholder_patterns():
        if found := pattern.fullmatch(text):
            return _(template).format(**found.groupdict())
    return text


STRUCTURE_WORDS = {  # the kinds of tensor in graders.probe.Varied, in words
    "nested": N_("layers nested in a ModuleDict of Sequentials"),
    "batchnorm": N_("a BatchNorm layer's weight and bias"),
    "buffer": N_("a BatchNorm layer's running statistics (its buffers)"),
    "shared": N_("a layer the model uses twice"),
    "own": N_("a parameter the model holds itself (in no layer, named neither weight nor bias)"),
    "frozen": N_("a frozen layer"),
    "unused": N_("a trainable layer that takes no part in the output"),
    "plain": N_("the output layer"),
}


def structures(names: Iterable[str], kinds: Mapping[str, str]) -> str:
    """The kinds of structure that named tensors of a ``Varied`` network belong to, in words, each once:
    how a hidden check says which parts of a hidden model went wrong without naming or showing them."""
    found = {kinds.get(name) for name in names}
    return listed((_(words) for kind, words in STRUCTURE_WORDS.items() if kind in found), None, quote="")


def named_parts(names: Sequence[str], kinds: Mapping[str, str] | None = None, limit: int = 4) -> str:
    """Named tensors in words: their names, or, for a hidden ``Varied`` model (its ``kinds`` given),
    the kinds of structure they belong to, which names nothing of the hidden model."""
    return structures(names, kinds) if kinds is not None else listed(names, limit)


# -- recorded data: what it is, and whether it agrees with the reference's ---------------------------------


def is_tensor(value: Any) -> bool:
    return isinstance(value, torch.Tensor)


def is_mapping(value: Any) -> bool:
    """A recorded dict, not the ``{"__object__": ...}`` that stands for some other object."""
    return isinstance(value, dict) and "__object__" not in value


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


def differing(yours: Any, reference: Mapping[str, Any]) -> list[str]:
    """The names of the reference's recorded values that the student's mapping lacks or holds otherwise,
    bit for bit: the tensors a load did not restore, or a call changed."""
    yours = yours if is_mapping(yours) else {}
    return [name for name, value in reference.items() if not identical(yours.get(name), value)]


def difference(yours: torch.Tensor, reference: torch.Tensor) -> tuple[int, float, tuple[int, ...]]:
    """How many elements differ beyond tolerance, the largest difference, and where it is."""
    yours, reference = yours.double(), reference.double()
    close = torch.isclose(yours, reference, rtol=RTOL, atol=ATOL, equal_nan=True)
    gap = (yours - reference).abs().nan_to_num(nan=float("inf"))
    worst = int(gap.argmax()) if gap.numel() else 0
    index = tuple(int(i) for i in torch.unravel_index(torch.tensor(worst), yours.shape)) if yours.dim() else ()
    return int((~close).sum()), float(gap.max()) if gap.numel() else 0.0, index


def scale_between(yours: torch.Tensor, reference: torch.Tensor) -> float | None:
    """The number c with ``yours == c * reference`` (within tolerance), if there is one and it is not 1."""
    yours, reference = yours.double(), reference.double()
    norm = float((reference * reference).sum())
    if norm == 0.0 or not bool(torch.isfinite(yours).all()):
        return None
    factor = float((yours * reference).sum()) / norm
    if abs(factor - 1.0) < 1e-4 or not bool(torch.allclose(yours, factor * reference, rtol=1e-4, atol=ATOL)):
        return None
    return factor


# -- comparisons that explain themselves -------------------------------------------------------------------


def shape_of(value: Any) -> tuple[int, ...] | None:
    """The shape of a returned tensor, also of one the probe records only in words (a complex one,
    say): a wrong dtype costs the checks that compare values, not the one about the shape."""
    if is_tensor(value):
        return tuple(value.shape)
    recorded = value.get("shape") if isinstance(value, dict) and "__object__" in value else None
    if isinstance(recorded, list) and all(type(size) is int for size in recorded):
        return tuple(recorded)
    return None


def compare_shapes(
    called: str | Phrase, yours: Any, reference: torch.Tensor, what: str = "output", hint: str | None = None
) -> Verdict:
    shape = shape_of(yours)
    if shape is None:
        return not_a_tensor(called, yours)
    if shape == tuple(reference.shape):
        return ok(
            _("Called {called}: your {what} has shape {shape}, as expected.").format(
                called=called, what=what, shape=shape_text(shape)
            )
        )
    return fail(
        _("Called {called}: your {what} has shape {yours}; the reference's is {reference}.").format(
            called=called, what=what, yours=shape_text(shape), reference=shape_text(reference.shape)
        ),
        hint,
    )


def not_a_tensor(called: str | Phrase, yours: Any) -> Verdict:
    return fail(
        _("Called {called}: yours returned {what}; the reference returns a tensor.").format(
            called=called, what=describe(yours)
        )
    )


def compare_values(
    called: str | Phrase,
    yours: Any,
    reference: torch.Tensor,
    hint: str | Callable[[torch.Tensor, torch.Tensor], str | None] | None = None,
    hidden: bool = False,
) -> Verdict:
    """Compare a tensor with the reference's, element by element within a tight tolerance.

    ``hint`` may be a function of (yours, reference) that diagnoses the mistake from the values.
    """
    if not is_tensor(yours):
        return not_a_tensor(called, yours)
    if yours.shape != reference.shape:
        if hidden:
            return fail(
                _(
                    "Called {called}: the values cannot match because your output has a different shape from "
                    "the reference's."
                ).format(called=called)
            )
        return fail(
            _(
                "Called {called}: the values cannot match because yours has shape {yours}, the reference's {reference}."
            ).format(called=called, yours=shape_text(yours.shape), reference=shape_text(reference.shape))
        )
    if values_match(yours, reference):
        return ok(_("Called {called}: your values match the reference's.").format(called=called))
    wrong, largest, where = difference(yours, reference)
    text = hint(yours, reference) if callable(hint) else hint
    if hidden:
        return fail(_("Called {called}: your values differ from the reference's.").format(called=called), text)
    if where:
        message = _(
            "Called {called}: {wrong} of {total} values differ from the reference's (largest difference "
            "{largest:.3g}; at [{index}] yours is {yours:.4g}, the reference's {reference:.4g})."
        ).format(
            called=called,
            wrong=count(wrong),
            total=count(reference.numel()),
            largest=largest,
            index=", ".join(map(str, where)),
            yours=float(yours[where]),
            reference=float(reference[where]),
        )
    else:
        message = _(
            "Called {called}: {wrong} of {total} values differ from the reference's (largest difference {largest:.3g})."
        ).format(called=called, wrong=count(wrong), total=count(reference.numel()), largest=largest)
    return fail(message, text)


def compare_named(
    called: str | Phrase,
    yours: Any,
    reference: Mapping[str, torch.Tensor],
    hint: str | Callable[[torch.Tensor, torch.Tensor], str | None] | None = None,
    hidden: bool = False,
    what: str = N_("parameters"),
    item: str = N_("parameter"),
) -> Verdict:
    """Compare named tensors (a model's parameters, a state_dict) with the reference's, name by
    name with ``compare_values``; the first that differs is reported. Hidden: no name is shown.
    ``what`` names them all, ``item`` one of them."""
    what, item = _(what), _(item)
    if not is_mapping(yours) or yours.keys() != reference.keys():
        if hidden:
            return fail(
                _("Called {called}: your {what} have other names than the reference's.").format(
                    called=called, what=what
                )
            )
        names = listed(sorted(yours)) if is_mapping(yours) else describe(yours)
        return fail(
            _("Called {called}: your {what} are {yours}; the reference's are {reference}.").format(
                called=called, what=what, yours=names, reference=listed(sorted(reference))
            )
        )
    for name, tensor in reference.items():
        which = called if hidden else _("{called}, {item} {name!r}").format(called=called, item=item, name=name)
        verdict = compare_values(which, yours[name], tensor, hint, hidden=hidden)
        if not verdict.passed:
            return verdict
    return ok(
        _("Called {called}: all {count} {what} match the reference's.").format(
            called=called, count=count(len(reference)), what=what
        )
    )


def compare_fields(
    what: str,
    yours: Mapping[str, Any] | None,
    reference: Mapping[str, Any],
    labels: Mapping[str, str],
    missing_hint: str | None = None,
) -> Verdict:
    """Compare two descriptions field by field, naming each field that differs.

    ``labels`` turns a field into words: ``{"out_channels": "{value} output channels"}`` gives
    "your conv2 has 10 output channels; the reference's has 20 output channels". They are
    translated here, so mark them with ``N_()`` where they are defined.
    """
    if yours is None:
        return fail(_("Your model has no {what}.").format(what=what), missing_hint)
    if yours.get("type") != reference.get("type"):
        return fail(
            _("Your {what} is a {yours}; the reference's is a {reference}.").format(
                what=what, yours=yours.get("type"), reference=reference.get("type")
            )
        )
    differences = [
        _("{yours}; the reference's has {reference}").format(
            yours=_(labels[key]).format(value=yours.get(key)), reference=_(labels[key]).format(value=value)
        )
        for key, value in reference.items()
        if key in labels and yours.get(key) != value
    ]
    if differences:
        return fail(_("Your {what} has {differences}.").format(what=what, differences=_(", and ").join(differences)))
    return ok(
        _("Your {what} matches the reference's: {text}.").format(
            what=what, text=reference.get("text", reference.get("type"))
        )
    )


def compare_shape_counts(
    called: str | Phrase,
    yours: Any,
    reference: Mapping[str, torch.Tensor],
    hint: str | None = None,
    hidden: bool = False,
) -> Verdict:
    """Whether a model's recorded parameters have the reference's shapes, as many of each, whatever their
    names: where an exercise leaves the names free (fc1, net.0, trunk.2), the shapes are what can be
    compared. Public: both sides' tensors with their shapes; hidden: only that the shapes differ."""
    if shape_counts(yours) == shape_counts(reference):
        return ok(
            _("Built {called}: it registers {count} parameters ({shapes}), as expected.").format(
                called=called, count=count(total_size(yours)), shapes=shapes_listed(yours)
            )
            if not hidden
            else _("Built {called}: its parameters have the reference's shapes.").format(called=called)
        )
    if hidden:
        return fail(
            _("Built {called}: your model's parameters have other shapes than the reference's.").format(called=called),
            hint,
        )
    return fail(
        _(
            "Built {called}: it registers {yours} parameters ({your_shapes}); the reference registers {reference} "
            "({reference_shapes})."
        ).format(
            called=called,
            yours=count(total_size(yours) or 0),
            your_shapes=shapes_listed(yours) if is_mapping(yours) else describe(yours),
            reference=count(total_size(reference)),
            reference_shapes=shapes_listed(reference),
        ),
        hint,
    )


def compare_keys(
    called: str | Phrase,
    yours: Iterable[str],
    reference: Iterable[str],
    hint: str | None = None,
    hidden: bool = False,
    what: str = N_("dict"),
) -> Verdict:
    """Whether the student's keys (of a dict, or names in a list) are the reference's, in any order;
    if not, the keys only one side has (hidden: how many)."""
    yours, reference = list(yours), list(reference)
    your_keys, reference_keys = set(yours), set(reference)
    extra = [key for key in yours if key not in reference_keys]
    missing = [key for key in reference if key not in your_keys]
    if not extra and not missing:
        return ok(
            _("Called {called}: your {what} has the reference's {count} keys.").format(
                called=called, what=_(what), count=count(len(reference_keys))
            )
        )

    def shown(keys: list[str]) -> str:
        return count(len(keys)) if hidden else listed(keys, empty=_("none"))

    return fail(
        _("Called {called}: keys only in your {what}: {yours}; keys only in the reference's: {reference}.").format(
            called=called, what=_(what), yours=shown(extra), reference=shown(missing)
        ),
        hint,
    )


def compare_entries(
    called: str | Phrase, yours: Any, reference: Mapping[str, Any], hint: str | None = None, hidden: bool = False
) -> Verdict:
    """Whether a dict the student's code built from tensors it was given (a remapped or filtered
    state_dict) is the reference's: the same keys (if not, ``compare_keys`` says which differ, with
    ``hint``), each holding the tensor the reference's holds, bit for bit."""
    if not is_mapping(yours):
        return fail(
            _("Called {called}: yours returned {what}; the reference returns a dict.").format(
                called=called, what=describe(yours)
            ),
            _("A function without `return` gives None: return the new dict.") if yours is None else None,
        )
    if set(yours) != set(reference):
        return compare_keys(called, yours, reference, hint, hidden)
    changed = differing(yours, reference)
    if changed:
        return fail(
            _("Called {called}: your keys are right, but the tensors under {keys} are not the reference's.").format(
                called=called, keys=_("some keys") if hidden else listed(changed)
            ),
            _("Keep each tensor as you were given it: only which entries the dict holds, and their keys, change."),
        )
    return ok(
        _("Called {called}: your dict has the reference's {count} keys, each with its tensor.").format(
            called=called, count=count(len(reference))
        )
    )


def compare_loaded(
    called: str | Phrase,
    yours: Any,
    loaded: Mapping[str, torch.Tensor],
    initial: Mapping[str, torch.Tensor] | None = None,
    hint: str | None = None,
    hidden: bool = False,
) -> Verdict:
    """Whether a model that student code loaded a checkpoint into holds every tensor the reference loads
    (``loaded``, by key), bit for bit: both recorded as the model's state_dict afterwards. Public: how
    many did not load, and which of those are still at their ``initial`` values (if given); hidden: how
    many."""
    wrong = differing(yours, loaded)
    total = len(loaded)
    if not wrong:
        return ok(
            _("Called {called}: the {count} tensors the reference loads are in your model too, bit for bit.").format(
                called=called, count=count(total)
            )
        )
    if hidden:
        return fail(
            _(
                "Called {called}, then compared the model's tensors with the checkpoint's: {loaded} of the {total} "
                "tensors the reference loads are in your model."
            ).format(called=called, loaded=count(total - len(wrong)), total=count(total)),
            hint,
        )
    moved = set(differing(yours, initial or {}))
    unchanged = [key for key in wrong if key in (initial or {}) and key not in moved]
    still = _(" Still at their initial values: {keys}.").format(keys=listed(unchanged)) if unchanged else ""
    return fail(
        _(
            "Called {called}, then compared the model's tensors with the checkpoint's: {loaded} of {total} tensors "
            "loaded; the reference loads {total} of {total}.{still}"
        ).format(called=called, loaded=count(total - len(wrong)), total=count(total), still=still),
        hint,
    )


def compare_unchanged(
    called: str | Phrase, yours: Any, reference: Sequence[tuple[str, Any]], hint: str | None = None
) -> Verdict:
    """Whether a dict the grader passed to the student's code is as the reference leaves it, both
    recorded with ``probe.entries`` after the call: the same keys in the same order, the same values."""
    your_keys = [key for key, _value in yours]
    reference_keys = [key for key, _value in reference]
    if your_keys != reference_keys:
        return fail(
            _(
                "Called {called}, then looked at the dict we passed in: it now has the keys {yours}; before the "
                "call it had {reference}."
            ).format(called=called, yours=listed(your_keys), reference=listed(reference_keys)),
            hint,
        )
    changed = [
        key for (key, value), (_key, before) in zip(yours, reference, strict=True) if not identical(value, before)
    ]
    if changed:
        return fail(
            _(
                "Called {called}, then looked at the dict we passed in: the values under {keys} are no longer the "
                "ones we passed in."
            ).format(called=called, keys=listed(changed)),
            hint,
        )
    return ok(_("Called {called}: the dict we passed in is unchanged.").format(called=called))


def compare_modes(
    called: str | Phrase, yours: Any, reference: Sequence[str], hint: str | None = None, hidden: bool = False
) -> Verdict:
    """Whether the student's code left every module in the mode (training or eval) the reference
    leaves it in, both recorded with ``probe.modules_in_eval_mode``. Hidden: no module is named."""
    if list(yours) == list(reference):
        return ok(_("After {called}, your model's modules are in the reference's modes.").format(called=called))
    if hidden:
        return fail(
            _(
                "After {called}, some of your model's modules are in another mode (training or eval) than the "
                "reference leaves them in."
            ).format(called=called),
            hint,
        )

    def names(found: Sequence[str]) -> str:
        return listed((f"'{name}'" if name else _("the model itself") for name in found), quote="", empty=_("none"))

    return fail(
        _(
            "After {called}, the modules of your model in eval mode (training=False) are: {yours}; in the "
            "reference's: {reference}."
        ).format(called=called, yours=names(yours), reference=names(reference)),
        hint,
    )


# -- gradients ---------------------------------------------------------------------------------------------


def holding_gradients(grads: Any) -> list[str]:
    """The names whose recorded gradient (``{name: tensor.grad}``) is neither None nor all zeros: what a
    step left for the next backward() to add to, or a freeze left for an optimizer to step with."""
    if not is_mapping(grads):
        return []
    return [name for name, grad in grads.items() if grad is not None and not (is_tensor(grad) and not grad.any())]


BACKWARD_NOT_DERIVATIVE = N_(
    "Your output is right but its gradients are not, so backward() does not compute the derivative of what "
    "forward computes: if you wrote an autograd Function or registered a gradient hook, its backward must "
    "return exactly that derivative."
)


CUT_FROM_GRAPH = N_(
    "Your output is right, so it is computed from every tensor, yet backward() leaves {tensors} without a gradient, "
    "although each requires grad: something between them and the output is cut off from the autograd graph "
    "(`.detach()`, `.data`, a `torch.no_grad()` block, a round trip through NumPy)."
)


Problem = tuple[str, str | None]  # what was observed, and what it shows (None: it names no cause)


def compare_gradients(
    called: str | Phrase,
    yours: Any,
    reference: Mapping[str, Any],
    hidden: bool = False,
    output_matches: bool = False,
    hint: str | None = None,
) -> Verdict:
    """Judge what ``Probe.backward`` recorded against the reference's: whether the output is part of
    the autograd graph, then each tensor's ``requires_grad`` and the gradient backward() left in it.

    Each message states what was observed (no gradient reached a tensor that requires grad; the
    gradient is 2 times the reference's), never a guess. ``output_matches``: the caller saw the
    output itself equal the reference's, so wrong gradients can only come from a backward that is
    not forward's derivative. ``hint``: what the caller's own observations show (the mode or the
    grad mode the model ran in), given where the gradients show no cause themselves. Hidden: no
    names and no values.
    """
    problem = _gradients_problem(called, yours, reference, hidden, output_matches)
    if problem is not None:
        message, own = problem
        return fail(message, own or hint)
    total = len(reference["parameters"]) + len(reference["inputs"])
    return ok(
        _("Called {called}, then backward(): every gradient matches the reference's ({count} tensors).").format(
            called=called, count=count(total)
        )
    )


def _gradients_problem(
    called: str | Phrase, yours: Any, reference: Mapping[str, Any], hidden: bool, output_matches: bool
) -> Problem | None:
    """What differs between two records of ``Probe.backward``, or None if nothing does."""
    if not is_mapping(yours) or not is_mapping(reference):
        return _("Called {called}: there was no output to call backward() on.").format(called=called), None
    if yours["shape"] != reference["shape"]:
        return _(
            "Called {called}: your output has another shape than the reference's, so its gradients cannot be compared."
        ).format(called=called), None
    if reference["requires_grad"] and not yours["requires_grad"]:
        frozen = [name for name, item in yours["parameters"].items() if not item["requires_grad"]]
        if yours["parameters"] and len(frozen) == len(yours["parameters"]):
            return _(
                "Called {called}: your output does not require grad, because none of your parameters does (each "
                "has requires_grad=False); the reference's output does."
            ).format(called=called), None
        return (
            _(
                "Called {called}: your output does not require grad (it has no grad_fn), although your "
                "parameters do; the reference's output does. The gradient cannot flow back to your parameters."
            ).format(called=called),
            _(
                "Something cut your output off the autograd graph: look for `.detach()`, `.data`, a "
                "`torch.no_grad()` block, or a tensor rebuilt from numbers (`torch.tensor(...)`, `.item()`, "
                "`.numpy()`)."
            ),
        )
    if yours["requires_grad"] and not reference["requires_grad"]:
        return _("Called {called}: your output requires grad; the reference's does not.").format(called=called), None
    for group in ("parameters", "inputs"):
        for name, expected in reference[group].items():
            problem = _gradient_problem(called, name, yours[group].get(name), expected, hidden)
            if problem is None:
                continue
            message, cause = problem
            if not output_matches or cause is None:
                return message, None
            if cause == "derivative":
                return message, _(BACKWARD_NOT_DERIVATIVE)
            cut = [
                other
                for part in ("parameters", "inputs")
                for other, item in reference[part].items()
                if item["grad"] is not None and _unreached(yours[part].get(other))
            ]
            return message, _(CUT_FROM_GRAPH).format(
                tensors=_("some of your tensors") if hidden else listed(cut, quote="`")
            )
    return None


def _unreached(mine: Any) -> bool:
    """Whether a recorded tensor requires grad, yet backward() left no gradient in it."""
    return is_mapping(mine) and mine["requires_grad"] and mine["grad"] is None


def _gradient_problem(
    called: str | Phrase, name: str, mine: Any, expected: Mapping[str, Any], hidden: bool
) -> Problem | None:
    """What differs about one tensor's gradient, or None if nothing does; with the cause it shows when the
    output matched: "cut" for a gradient that did not arrive (a cut in the graph), "derivative" for one
    whose values differ (a backward that is not forward's derivative), or None."""
    label = _("one of your tensors") if hidden else f"`{name}`"
    if not is_mapping(mine):
        if hidden:
            return _("Called {called}: your tensors are not the reference's.").format(called=called), None
        return _("Called {called}: your model has no `{name}`; the reference's has.").format(
            called=called, name=name
        ), None
    if mine["requires_grad"] != expected["requires_grad"]:
        return _(
            "Called {called}: {tensor} has requires_grad={yours}; the reference's has requires_grad={reference}."
        ).format(called=called, tensor=label, yours=mine["requires_grad"], reference=expected["requires_grad"]), None
    gradient, reference = mine["grad"], expected["grad"]
    if gradient is None and reference is None:
        return None
    if reference is not None and gradient is None:
        return (
            _(
                "Called {called}, then backward(): no gradient reached {tensor} (its .grad is None), although it "
                "requires grad, so your output does not depend on it; the reference's output does."
            ).format(called=called, tensor=label),
            "cut",
        )
    if reference is None:
        return _(
            "Called {called}, then backward(): {tensor} received a gradient; in the reference it receives none."
        ).format(called=called, tensor=label), None
    if not is_tensor(gradient) or gradient.shape != reference.shape:
        return _(
            "Called {called}, then backward(): the gradient in {tensor} has another shape than the reference's."
        ).format(called=called, tensor=label), None
    if tensors_close(gradient, reference):
        return None
    factor = scale_between(gradient, reference)
    if factor is not None:
        return _(
            "Called {called}, then backward(): the gradient in {tensor} is {factor:.4g} times the reference's."
        ).format(called=called, tensor=label, factor=factor), "derivative"
    if hidden:
        return _("Called {called}, then backward(): your gradients differ from the reference's.").format(
            called=called
        ), "derivative"
    wrong, largest = difference(gradient, reference)[:2]
    return _(
        "Called {called}, then backward(): {wrong} of {total} values of the gradient in {tensor} differ from the "
        "reference's (largest difference {largest:.3g})."
    ).format(
        called=called, wrong=count(wrong), total=count(reference.numel()), tensor=label, largest=largest
    ), "derivative"


# -- diagnoses ---------------------------------------------------------------------------------------------


def recognised(cases: Sequence[tuple[Any, Mapping[str, Any], Any]]) -> str | None:
    """The wrong way of computing an answer that explains the student's answers in every case at once.

    Each case is (yours, {kind: the answer that way of computing gives}, the reference's answer), the
    kinds in the order they are tried. A kind is recognised when yours equals its answer in every case
    and differs from the reference's in one case at least: a single coincidence, such as a constant
    that happens to equal one wrong count, names nothing. Answers must compare with ``==`` (numbers,
    strings, sorted lists), not tensors.
    """
    if not cases:
        return None
    for kind in cases[0][1]:
        if all(kind in ways and ways[kind] == yours for yours, ways, _reference in cases) and any(
            ways[kind] != reference for _yours, ways, reference in cases
        ):
            return kind
    return None
