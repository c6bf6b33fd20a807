"""The probe's toolbox: runs inside the sandboxed child, next to the student's code.

A probe calls the student's code through ``Probe.call`` so that an exception becomes a recorded
error (what was called, what was raised, on which line of the student's file) instead of a
crash, and records what it sees with ``Probe.record``. Everything recorded is turned into plain
data here; the trusted parent validates it again before judging.

After the ``Probe`` itself: models for a probe to run (the student's, built safely, and small
networks of the grader's own), then what a model holds, read as data a check can compare.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import linecache
import math
import reprlib
import sys
import traceback
import types
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, NoReturn, TypeVar

import torch
from torch import nn
from torch.nn.modules import module as module_globals

from graders import wire
from graders.explain import IMPORTING
from graders.i18n import N_, Phrase, _

T = TypeVar("T")

MAX_TEXT = 2_000  # characters kept of any text taken from the student's objects
MAX_ITEMS = 10_000  # elements kept of any list, tuple or dict
MAX_DEPTH = 8
MAX_INTEGER = 1 << 64  # integers recorded as numbers: 64 bits, signed or not; no exercise needs more


class StepFailed(Exception):
    """Ends the probe (or a ``Probe.section``) after a step recorded its error."""


# What the probe records in place of a value it does not record as itself. They are data, the same in
# every language, as the reference's values are; a report says them in the student's (``checks.describe``).
UNPRINTABLE = N_("<{type} that cannot be printed>")
TOO_MUCH = N_("<more than the grader records>")
UNRECORDABLE = N_("<cannot be recorded>")
TOO_DEEP = N_("<nested too deeply>")
HUGE_INTEGER = N_("<a very large integer>")
BIG_TENSOR = N_("<a tensor of {count} elements, more than the grader records>")
RUNNING = N_("running {description}")  # what the probe was doing, when a description says it
BACKWARD = N_("backward() on the output of {called}")
UNCOMPARABLE = N_("a {kind} tensor of shape {shape}, which the grader cannot compare")
PLACEHOLDERS = (UNPRINTABLE, TOO_MUCH, UNRECORDABLE, TOO_DEEP, HUGE_INTEGER, BIG_TENSOR, UNCOMPARABLE)


def _short(text: str, limit: int = MAX_TEXT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plain_text(value: Any, limit: int = MAX_TEXT) -> str | None:
    """``value`` as a ``str`` of exactly that type, cut at ``limit``; None if it is no string. A subclass
    of ``str``, whose methods are the student's, becomes the plain text it holds without running any."""
    if not issubclass(type(value), str):
        return None
    return _short(str.__str__(value), limit)


def safe_str(value: Any) -> str:
    """``str(value)`` that survives hostile ``__str__`` methods."""
    try:
        text = plain_text(str(value))
    except BaseException:  # any failure of student code becomes a placeholder
        text = None
    return UNPRINTABLE.format(type=type_name(value)) if text is None else text


def safe_repr(value: Any) -> str:
    try:
        text = plain_text(reprlib.Repr(maxstring=200, maxother=200).repr(value))
    except BaseException:
        text = None
    return UNPRINTABLE.format(type=type_name(value)) if text is None else text


def class_attribute(kind: type, name: Literal["__name__", "__qualname__", "__module__"]) -> str | None:
    """``kind.__name__`` (or its ``__qualname__``, ``__module__``) as ``type`` itself keeps it, or None
    if that is no string: a metaclass can make ``kind.__name__`` run its own code and return anything,
    and a class made without a module has no ``__module__`` at all."""
    try:
        return plain_text(vars(type)[name].__get__(kind, type))
    except AttributeError:
        return None


def type_name(value: Any) -> str:
    kind = type(value)
    qualname = class_attribute(kind, "__qualname__") or "object"
    module = class_attribute(kind, "__module__") or ""
    return qualname if module in ("builtins", "") else f"{module}.{qualname}"


def exception_name(error: BaseException) -> str:
    """The name of an exception's class, as a message shows it: ``ValueError``."""
    return class_attribute(type(error), "__name__") or "Exception"


def plain_tensor(tensor: torch.Tensor) -> torch.Tensor:
    """A detached CPU copy of exactly type ``torch.Tensor``, whatever subclass came in (whose own
    ``detach``, ``to`` or ``__torch_function__`` never run)."""
    with torch._C.DisableTorchFunction():
        copy = torch.Tensor.detach(tensor).to("cpu").clone().contiguous()
        return copy.as_subclass(torch.Tensor) if type(copy) is not torch.Tensor else copy


@dataclass
class Budget:
    """What one probe run may still record, all values together: many times what any exercise records,
    and well inside what the wire format carries (graders/wire.py), whatever the student's code returns."""

    nodes: int = wire.MAX_NODES // 4  # a value that stands for another is three nodes on the wire
    tensor_bytes: int = 32 << 20
    characters: int = 4_000_000

    def take(self, nodes: int = 0, tensor_bytes: int = 0, characters: int = 0) -> bool:
        """Spend this much, if that much is left."""
        if nodes > self.nodes or tensor_bytes > self.tensor_bytes or characters > self.characters:
            return False
        self.nodes -= nodes
        self.tensor_bytes -= tensor_bytes
        self.characters -= characters
        return True


def to_plain(value: Any, depth: int = 0, budget: Budget | None = None) -> Any:
    """Turn a recorded value into data that crosses the process boundary safely.

    Tensors, numbers, strings, None and containers of these pass through (an OrderedDict,
    such as a state_dict, or a defaultdict as a plain dict); anything else becomes
    ``{"__object__": type, "repr": text}`` so that a check can still say what it was. So does what
    the wire cannot carry (a complex or sparse tensor, a huge integer) and whatever goes beyond
    ``budget``: what a submission returns is judged as its answer, and never fails to be sent.
    """
    budget = Budget() if budget is None else budget
    if not budget.take(nodes=1):
        return described(value, TOO_MUCH, budget)
    try:
        return _plain(value, depth, budget)
    except BaseException:  # the student's code ran (a subclass's method, a __class__ property) and failed
        return described(value, UNRECORDABLE, budget)


def _plain(value: Any, depth: int, budget: Budget) -> Any:
    kind = type(value)  # compared with `is` only: a metaclass's __eq__ could make it equal anything
    if depth > MAX_DEPTH:
        return described(value, TOO_DEEP, budget)
    if value is None or kind is bool or kind is float:
        return value
    if kind is int:
        return value if -MAX_INTEGER < value < MAX_INTEGER else described(value, HUGE_INTEGER, budget)
    if kind is str:
        text = _short(value)
        return text if budget.take(characters=len(text)) else described(value, TOO_MUCH, budget)
    if issubclass(kind, torch.Tensor):
        return _plain_tensor(value, budget)
    if kind is tuple or kind is list or kind is torch.Size:
        items = [to_plain(item, depth + 1, budget) for item in _while_left(value, budget)]
        return items if kind is list else tuple(items)
    if kind is dict or kind is OrderedDict or kind is defaultdict:  # their items() is dict's own, not student code
        return {
            safe_str(key): to_plain(item, depth + 1, budget) for key, item in _while_left(dict.items(value), budget)
        }
    return described(value, safe_repr(value), budget)


def _while_left(items: Iterable[Any], budget: Budget) -> Iterator[Any]:
    """The first MAX_ITEMS of ``items``, for as long as ``budget`` has nodes left: a container beyond
    it is cut short, rather than filled with stand-ins."""
    return itertools.takewhile(lambda _item: budget.nodes > 0, itertools.islice(items, MAX_ITEMS))


def _plain_tensor(tensor: torch.Tensor, budget: Budget) -> Any:
    with torch._C.DisableTorchFunction():
        count, size = torch.Tensor.numel(tensor), torch.Tensor.element_size(tensor)
    if count > wire.MAX_ELEMENTS or not budget.take(tensor_bytes=count * size):
        return described(tensor, BIG_TENSOR.format(count=f"{count:,}"), budget)
    copy = plain_tensor(tensor)
    shape = tuple(copy.shape)
    if (
        copy.dtype not in wire.ALLOWED_DTYPES
        or copy.layout != torch.strided
        or len(shape) > wire.MAX_DIMENSIONS
        or any(size > wire.MAX_ELEMENTS for size in shape)
    ):
        kind = str(copy.dtype).removeprefix("torch.")
        stand_in = described(tensor, UNCOMPARABLE.format(kind=kind, shape=shape), budget)
        # Its shape is still the student's to be graded on; on the wire, a list and a number per size.
        if len(shape) <= wire.MAX_DIMENSIONS and budget.take(nodes=1 + len(shape)):
            stand_in["shape"] = list(shape)
        return stand_in
    return copy


def described(value: Any, text: str, budget: Budget) -> dict[str, str]:
    """What stands for a value that is not recorded as itself: its type, and ``text`` about it."""
    kind = type_name(value)
    text = text if budget.take(characters=len(text) + len(kind)) else TOO_MUCH
    return {"__object__": kind, "repr": text}


def describe_exception(error: BaseException, called: str, filename: str) -> dict[str, Any]:
    """Plain-data account of an exception: its type, text, and where in the student's file.

    Every field is of its documented type, whatever the exception's class claims: ``type``,
    ``message`` and ``called`` strings; ``line`` and ``offset`` ints or None; ``code`` a string or None.
    """
    record: dict[str, Any] = {
        "type": exception_name(error),
        "message": safe_str(error),
        "called": plain_text(called) or "",
        "line": None,
        "code": None,
    }
    with contextlib.suppress(BaseException):  # attributes of the student's exception are the student's code
        record.update(_where(error, filename))
    return record


def _where(error: BaseException, filename: str) -> dict[str, Any]:
    """Where in ``filename`` the exception happened: the line and its code, and for a SyntaxError
    in the file its own message and offset."""
    if issubclass(type(error), SyntaxError) and plain_text(error.filename) == filename:
        return {
            "line": plain_int(error.lineno),
            "code": (plain_text(error.text) or "").rstrip("\n") or None,
            "offset": plain_int(error.offset),
            "message": safe_str(error.msg),
        }
    for frame in reversed(traceback.extract_tb(BaseException.__traceback__.__get__(error))):
        if frame.filename == filename:
            return {"line": plain_int(frame.lineno), "code": plain_text(frame.line) or None}
    return {}


def plain_int(value: Any) -> int | None:
    return value if type(value) is int and -MAX_INTEGER < value < MAX_INTEGER else None


def stable_seed(*parts: object) -> int:
    """A 63-bit seed from any parts, the same in every process and on every run."""
    digest = hashlib.sha256(repr(parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1


class Probe:
    """What a grader spec's probe works with: the student's module and a recorder."""

    def __init__(
        self,
        filename: str,
        public_seed: int,
        secret_seed: int,
        hidden: bool,
        on_stage: Callable[[str], None] = lambda stage: None,
    ):
        self.filename = filename
        self.public_seed = public_seed
        self.secret_seed = secret_seed
        self.hidden = hidden
        self.module: types.ModuleType | None = None
        self.values: dict[str, Any] = {}
        self.errors: dict[str, dict[str, Any]] = {}
        self.stopped_by: str | None = None
        self.fatal: str | None = None  # a step whose failure means nothing can be graded
        self.budget = Budget()  # what ``record`` may still keep, all values together
        self._on_stage = on_stage

    # -- loading the student's file -------------------------------------------------------

    def load(self, source: str, module_name: str, path: str) -> bool:
        """Execute the student's source as a module; record an ``import`` error if it fails.

        ``path`` is where the file is for the student's code (``__file__``); messages and
        tracebacks name it by ``self.filename``.
        """
        linecache.cache[self.filename] = (len(source), None, source.splitlines(True), self.filename)
        module = types.ModuleType(module_name)
        module.__file__ = path
        sys.modules[module_name] = module
        self._on_stage(_(IMPORTING))
        try:
            code = compile(source, self.filename, "exec", dont_inherit=True)
            exec(code, module.__dict__)
        except BaseException as error:  # SystemExit and KeyboardInterrupt included
            self.errors["import"] = describe_exception(error, _(IMPORTING), self.filename)
            self.stopped_by = self.fatal = "import"
            return False
        self.module = module
        return True

    # -- calling the student's code -------------------------------------------------------

    def require(self, name: str, kind: type | None = None, key: str | None = None, fatal: bool = True) -> Any:
        """The student's top-level ``name`` (``kind=type``: a class).

        A missing or misnamed one is recorded under ``key`` (``name`` by default). Without it
        nothing can be graded, so it is fatal, unless ``fatal=False``: then it ends only the
        current step or ``p.section()``, and the checks that need ``key`` explain it.
        """
        key = key or name
        called = _("looking up {name} in your file").format(name=name)
        namespace = vars(self.module) if self.module else {}
        if name not in namespace:
            similar = sorted(
                other
                for other, value in namespace.items()
                if not other.startswith("_")
                and isinstance(value, type | types.FunctionType)
                and getattr(value, "__module__", None) == getattr(self.module, "__name__", None)
            )
            self.fail(key, "MissingName", name, called, fatal, defined=similar[:20])
        value = namespace[name]
        if kind is type and not isinstance(value, type):
            wrong = _("`{name}` should be a class; yours is of type {type}").format(name=name, type=type_name(value))
            self.fail(key, "WrongKind", wrong, called, fatal)
        return value

    def call(
        self,
        key: str,
        called: str | Phrase,
        function: Callable[..., Any],
        *args: Any,
        fatal: bool = False,
        **kwargs: Any,
    ) -> Any:
        """Run student code; on any exception record it under ``key`` and end the step.

        ``fatal`` marks a step without which the exercise cannot be graded at all (building
        the model, its forward pass): its failure scores the whole exercise 0, as a crash does.
        ``called`` says what runs, for the student: a ``Phrase`` is said in their language.
        """
        # A description, unlike code, is said as prose: explain quotes only code as code.
        called = _(RUNNING).format(description=called) if isinstance(called, Phrase) else str(called)
        self._on_stage(called)
        try:
            return function(*args, **kwargs)
        except StepFailed:
            raise
        except BaseException as error:  # SystemExit and KeyboardInterrupt included
            self._stop(key, describe_exception(error, called, self.filename), fatal)

    def observe(
        self,
        key: str,
        called: str | Phrase,
        function: Callable[..., Any],
        *args: Any,
        fatal: bool = False,
        **kwargs: Any,
    ) -> Any:
        """``call`` and record what came back."""
        value = self.call(key, called, function, *args, fatal=fatal, **kwargs)
        self.record(key, value)
        return value

    def expect_error(
        self, key: str, called: str | Phrase, function: Callable[..., Any], *args: Any
    ) -> dict[str, str | None]:
        """Run student code that should raise, and record under ``key`` what it raised, as data:
        ``{"raised": the exception's type name, or None if nothing was raised, "message": its text}``.

        A NotImplementedError is not the error the probe provokes but an unfinished stub: like
        any exception in ``call``, it is recorded as the step's error and ends the step.
        """

        def attempt() -> dict[str, str | None]:
            try:
                function(*args)
            except NotImplementedError:
                raise
            except Exception as error:
                return {"raised": exception_name(error), "message": safe_str(error)}
            return {"raised": None, "message": None}

        return self.observe(key, called, attempt)

    def record(self, key: str, value: Any) -> None:
        self.values[key] = to_plain(value, budget=self.budget)

    def fail(
        self, key: str, kind: str, message: str, called: str | Phrase, fatal: bool = False, **details: Any
    ) -> NoReturn:
        """Record a problem found by the probe itself (say, a forward that returned a list)
        under ``key``, with any ``details`` an explanation needs, and end the step."""
        error = {"type": kind, "message": message, "called": str(called), "line": None, "code": None, **details}
        self._stop(key, error, fatal)

    def _stop(self, key: str, error: dict[str, Any], fatal: bool) -> NoReturn:
        self.errors.pop(key, None)  # the most recent error comes last
        self.errors[key] = to_plain(error)
        if fatal:
            self.fatal = key
        raise StepFailed(key) from None

    @contextlib.contextmanager
    def section(self) -> Iterator[None]:
        """Observations that may fail without stopping the rest of the probe."""
        with contextlib.suppress(StepFailed):
            yield

    # -- deterministic inputs and weights --------------------------------------------------

    def seed(self, name: str, secret: bool = False) -> int:
        return stable_seed(self.secret_seed if secret else self.public_seed, name)

    def randn(self, name: str, *shape: int, secret: bool = False) -> torch.Tensor:
        """A named input: the same tensor in the student's run and the reference's."""
        generator = torch.Generator().manual_seed(self.seed(name, secret))
        return torch.randn(shape, generator=generator)  # a tuple: () is a shape too, a scalar

    def randint(self, name: str, low: int, high: int, secret: bool = False) -> int:
        """A named integer in [low, high]: hidden sizes drawn from the secret seed."""
        generator = torch.Generator().manual_seed(self.seed(name, secret))
        return int(torch.randint(low, high + 1, (1,), generator=generator))

    def choice(self, name: str, options: Sequence[T], secret: bool = False) -> T:
        """A named pick among ``options``: a hidden name, prefix or size that the secret seed chooses."""
        return options[self.randint(name, 0, len(options) - 1, secret)]

    def labels(self, name: str, classes: int, *shape: int, secret: bool = False) -> torch.Tensor:
        """Named class labels in [0, classes): the same tensor in the student's run and the reference's."""
        generator = torch.Generator().manual_seed(self.seed(name, secret))
        return torch.randint(0, classes, shape, generator=generator)

    def batches(
        self, name: str, count: int, size: int, features: int, classes: int, secret: bool = False
    ) -> list[tuple[torch.Tensor, torch.Tensor]]:
        """``count`` named classification batches: inputs of shape (size, features), and labels."""
        return [
            (
                self.randn(f"{name}{i}/x", size, features, secret=secret),
                self.labels(f"{name}{i}/y", classes, size, secret=secret),
            )
            for i in range(count)
        ]

    def fill_parameters(
        self, module: nn.Module, name: str = "weights", secret: bool = False, by: Literal["name", "shape"] = "name"
    ) -> None:
        """Give every floating-point parameter and buffer a value derived from its name.

        The reference gets the same values for the same names, which is how "the reference's
        weights loaded into your model" is done without the child ever seeing the reference.
        ``by="shape"`` derives them from each tensor's shape and its rank among the tensors of
        that shape instead, for exercises that leave the names free (fc1, layer1, net.0, ...).
        """
        if by not in ("name", "shape"):
            raise ValueError(f"fill_parameters: by must be 'name' or 'shape', not {by!r}")
        ranks: Counter[tuple[int, ...]] = Counter()
        with torch.no_grad():
            for tensor_name, tensor in [*module.named_parameters(), *module.named_buffers()]:
                if not tensor.is_floating_point():
                    continue
                shape = tuple(tensor.shape)
                key = tensor_name if by == "name" else f"{shape}/{ranks[shape]}"
                ranks[shape] += 1
                generator = torch.Generator().manual_seed(self.seed(f"{name}/{key}", secret))
                fan_in = math.prod(shape[1:]) if len(shape) > 1 else max(tensor.numel(), 1)
                tensor.copy_(torch.randn(shape, generator=generator) / math.sqrt(fan_in))

    # -- gradients ---------------------------------------------------------------------------

    def backward(
        self,
        key: str,
        called: str | Phrase,
        output: Any,
        parameters: Mapping[str, torch.Tensor],
        inputs: Mapping[str, torch.Tensor] | None = None,
    ) -> None:
        """Back-propagate a fixed random gradient from ``output`` and record under ``key`` what
        autograd did: whether the output requires grad and has a ``grad_fn``, and for each of
        ``parameters`` (and ``inputs``, leaf tensors the probe made with ``requires_grad=True``)
        its ``requires_grad`` and the gradient ``backward()`` left in it (None if none).

        A random upstream gradient, not ``.sum()``, so that a gradient scaled or permuted by the
        student's code cannot pass by accident; the same one in the student's run and the reference's.
        ``compare_gradients`` (graders/checks.py) judges what this records.
        """
        if not isinstance(output, torch.Tensor):
            wrong = _("{called} returned {type}, not a tensor").format(called=called, type=type_name(output))
            self.fail(key, "NotATensor", wrong, called)
        tensors = {**parameters, **(inputs or {})}
        for tensor in tensors.values():
            tensor.grad = None
        flows = bool(output.requires_grad)
        if flows:
            # (output * upstream).sum() has the gradients output.backward(upstream) leaves; the latter
            # imports sympy on its first call, a second in every worker.
            upstream = self.randn(f"{key}/upstream", *output.shape).to(output.dtype)
            backward = Phrase(BACKWARD, called=called) if isinstance(called, Phrase) else f"{called}.backward(gradient)"
            self.call(key, backward, lambda: (output * upstream).sum().backward())

        def state(group: Mapping[str, torch.Tensor]) -> dict[str, Any]:
            return {name: {"requires_grad": t.requires_grad, "grad": t.grad} for name, t in group.items()}

        self.record(
            key,
            {
                "shape": tuple(output.shape),
                "requires_grad": flows,
                "grad_fn": output.grad_fn is not None,
                "parameters": state(parameters),
                "inputs": state(inputs or {}),
            },
        )

    # -- what crosses back to the parent ----------------------------------------------------

    def payload(self) -> dict[str, Any]:
        return {
            "values": self.values,
            "errors": self.errors,
            "stopped_by": self.stopped_by,
            "fatal": self.fatal,
        }


# -- models for a probe to run ---------------------------------------------------------------------


def mlp(sizes: Sequence[int], activation: type[nn.Module] = nn.ReLU, activate_last: bool = False) -> nn.Sequential:
    """A small model for a probe to train: Linear layers of the given sizes with ``activation``
    between them (and after the last one too with ``activate_last``), in one nn.Sequential."""
    layers: list[nn.Module] = []
    for n_in, n_out in itertools.pairwise(sizes):
        if layers:
            layers.append(activation())
        layers.append(nn.Linear(n_in, n_out))
    return nn.Sequential(*layers, *([activation()] if activate_last else []))


def build_module(p: Probe, key: str, called: str | Phrase, cls: Any, *arguments: Any, fatal: bool = False) -> nn.Module:
    """``cls(*arguments)``, the student's model, through ``p.call``; anything but an nn.Module that
    comes back is recorded under ``key`` as what it is, and ends the step (the probe if ``fatal``)."""
    model = p.call(key, called, cls, *arguments, fatal=fatal)
    if not isinstance(model, nn.Module):
        wrong = _("your {called} returned a {type}, not an nn.Module").format(called=called, type=type_name(model))
        p.fail(key, "NotAModule", wrong, called, fatal)
    return model


class Varied(nn.Module):
    """A small network with every kind of structure that code written for one example may miss: layers
    nested in a ModuleDict of Sequentials, a BatchNorm (parameters and buffers), a layer used twice, a
    parameter the network holds itself (named neither weight nor bias), a frozen layer, and a trainable
    layer that takes no part in the output. Hidden checks build it with ``varied``, so that every kind is
    there under any seed while sizes, depth and names change; ``kinds`` says which kind each tensor is."""

    def __init__(self, features: int, width: int, outputs: int, depth: int, names: tuple[str, str, str]):
        super().__init__()
        self.stem, self.body, self.own = names
        layers = (nn.Sequential(nn.Linear(width, width), nn.Tanh()) for _index in range(depth))
        self.blocks = nn.ModuleDict(
            {
                self.stem: nn.Sequential(nn.Linear(features, width), nn.BatchNorm1d(width), nn.Tanh()),
                self.body: nn.Sequential(*layers),
            }
        )
        self.shared = nn.Linear(width, width)
        self.frozen = nn.Linear(width, width).requires_grad_(False)
        self.spare = nn.Linear(width, outputs)
        self.out = nn.Linear(width, outputs)
        self.register_parameter(self.own, nn.Parameter(torch.ones(outputs)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.blocks[self.body](self.blocks[self.stem](x))
        h = torch.tanh(self.shared(torch.tanh(self.shared(h))))
        return self.out(torch.tanh(self.frozen(h))) * self.get_parameter(self.own)

    def kinds(self) -> dict[str, str]:
        """Each parameter's and buffer's name -> its kind: nested, batchnorm, buffer, shared, frozen,
        unused, plain or own (``graders.checks.STRUCTURE_WORDS`` puts them in words)."""
        top = {"shared": "shared", "frozen": "frozen", "spare": "unused", "out": "plain"}
        buffers = dict(self.named_buffers())
        kinds = {}
        for name in [*dict(self.named_parameters()), *buffers]:
            owner, _dot, _rest = name.partition(".")
            if owner == "blocks":
                norm = isinstance(self.get_submodule(name.rsplit(".", 1)[0]), nn.BatchNorm1d)
                kinds[name] = ("buffer" if name in buffers else "batchnorm") if norm else "nested"
            else:
                kinds[name] = top.get(owner, "own")
        return kinds


VARIED_NAMES = (
    ("stem", "encoder", "embed", "inputs"),
    ("body", "trunk", "core", "layers"),
    ("scale", "gain", "temperature", "alpha"),
)


def varied(p: Probe, name: str, features: int, outputs: int, weights: str | None = None) -> Varied:
    """A ``Varied`` network whose width, depth and names the secret seed draws for ``name``, filled with the
    weights named ``weights`` (``name`` by default) and fresh BatchNorm statistics."""
    names = tuple(p.choice(f"{name}/name{i}", words, secret=True) for i, words in enumerate(VARIED_NAMES))
    width, depth = p.randint(f"{name}/width", 3, 6, secret=True), p.randint(f"{name}/depth", 1, 3, secret=True)
    model = Varied(features, width, outputs, depth, names)
    p.fill_parameters(model, weights or name, secret=True)
    for module in model.modules():
        if isinstance(module, nn.BatchNorm1d):
            module.reset_running_stats()
    return model


# -- what a model holds, as data a check can read --------------------------------------------------


def named_tensors(module: nn.Module, source: Literal["parameters", "state_dict"] = "parameters") -> dict[str, Any]:
    """A module's tensors by name: its parameters themselves (the objects an optimizer holds, so
    recording the dict later shows their values then), or its state_dict (parameters and
    persistent buffers, detached)."""
    if source == "parameters":
        return dict(module.named_parameters())
    if source == "state_dict":
        return dict(module.state_dict())
    raise ValueError(f"named_tensors: source must be 'parameters' or 'state_dict', not {source!r}")


def by_shape(tensors: Mapping[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Named tensors keyed by their shape instead, numbered among those of one shape in their order:
    ``"(32, 8)"``, ``"(16, 16)"``, ``"(16, 16) #2"``. Where an exercise leaves the names free (fc1,
    net.0, hidden_layer), this pairs the student's tensors with the reference's the way
    ``fill_parameters(by="shape")`` does, so that their gradients can be compared."""
    ranks: Counter[tuple[int, ...]] = Counter()
    keyed: dict[str, torch.Tensor] = {}
    for tensor in tensors.values():
        shape = tuple(tensor.shape)
        ranks[shape] += 1
        keyed[str(shape) if ranks[shape] == 1 else f"{shape} #{ranks[shape]}"] = tensor
    return keyed


LAYER_FIELDS = {
    nn.Conv1d: ("in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups"),
    nn.Conv2d: ("in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups"),
    nn.Linear: ("in_features", "out_features"),
    nn.BatchNorm1d: ("num_features", "eps", "momentum", "affine", "track_running_stats"),
    nn.BatchNorm2d: ("num_features", "eps", "momentum", "affine", "track_running_stats"),
    nn.Dropout: ("p",),
    nn.Embedding: ("num_embeddings", "embedding_dim"),
}


def describe_module(module: Any) -> dict[str, Any] | None:
    """A layer as plain data: its type, hyper-parameters and whether it has a bias."""
    if module is None:
        return None
    description: dict[str, Any] = {"type": class_attribute(type(module), "__name__") or "object"}
    for kind, fields in LAYER_FIELDS.items():
        if type(module) is kind:
            for name in fields:
                value = getattr(module, name, None)
                description[name] = tuple(value) if type(value) is tuple or type(value) is list else value
            if hasattr(module, "bias"):
                description["bias"] = getattr(module, "bias", None) is not None
    description["text"] = safe_str(module) if isinstance(module, nn.Module) else safe_repr(module)
    return description


def requires_grad_of(module: nn.Module) -> dict[str, bool]:
    """Each parameter's ``requires_grad`` by name: which are frozen, before and after student code runs."""
    return {name: bool(parameter.requires_grad) for name, parameter in module.named_parameters()}


def grads_of(tensors: Mapping[str, torch.Tensor]) -> dict[str, torch.Tensor | None]:
    """Each named tensor's ``.grad`` (None where backward() left none): what the next step will use, or
    what a step or a freeze left behind."""
    return {name: tensor.grad for name, tensor in tensors.items()}


def modules_in_eval_mode(module: nn.Module) -> list[str]:
    """The names of ``module``'s submodules that are in eval mode, in the model's order ("" for
    ``module`` itself): what code that was only meant to change values may have switched."""
    return [name for name, child in module.named_modules() if not child.training]


def repeated_modules(model: nn.Module) -> dict[str, str]:
    """Submodules registered under a second name, each with the name it was first registered under: one
    layer object in several places (``[layer] * k``, a block two Sequentials share), which
    ``named_modules()`` and ``modules()`` yield once."""
    first: dict[int, str] = {}
    repeated = {}
    for name, module in model.named_modules(remove_duplicate=False):
        if id(module) in first:
            repeated[name] = first[id(module)]
        else:
            first[id(module)] = name
    return repeated


GLOBAL_HOOKS = "global"  # forward_hooks' entry for the hooks every module runs


def forward_hooks(model: nn.Module) -> dict[str, int]:
    """How many forward hooks and pre-hooks each module of ``model`` holds, by name ("" for ``model``
    itself), and under ``GLOBAL_HOOKS`` how many every module runs (``register_module_forward_hook``):
    counted before and after student code, what it left attached or removed."""
    counts = {
        name: len(module._forward_hooks) + len(module._forward_pre_hooks) for name, module in model.named_modules()
    }
    counts[GLOBAL_HOOKS] = len(module_globals._global_forward_hooks) + len(module_globals._global_forward_pre_hooks)
    return counts


def entries(mapping: Mapping[Any, Any]) -> list[tuple[str, Any]]:
    """A dict's keys in order, each with its value. Recorded after a call that was given the dict,
    it shows whether the call changed it: keys added, removed or reordered, values replaced."""
    return [(safe_str(key), value) for key, value in list(dict.items(mapping))]
