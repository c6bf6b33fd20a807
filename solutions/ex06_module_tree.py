"""Exercise 06 — the module tree: children(), modules(), named_modules() and get_submodule().

A model is a tree of modules. Every module stored on another one (``self.features = ...``, an
entry of an ``nn.Sequential``, ``nn.ModuleList`` or ``nn.ModuleDict``) is a *child* of it.
Four methods walk that tree:

* ``model.children()`` / ``model.named_children()``: the direct children only, one level down;
* ``model.modules()`` / ``model.named_modules()``: the whole tree, depth first — **the model
  itself first** (its name is ``""``), then every module below it, each once, containers
  and layers without parameters included;
* ``model.get_submodule("features.1")``: the module at a dotted name, as ``named_modules()``
  spells it.

A correction to the lecture: it says that ``.modules()`` yields only the modules that hold
weights. It does not. ``modules()`` yields *every* module of the tree: the root (the model
itself), containers such as ``nn.Sequential``, and layers without any parameters such as
``nn.ReLU``, ``nn.MaxPool2d``, ``nn.Flatten`` or ``nn.Dropout``.

For the model below::

    model = nn.Sequential(
        nn.Linear(4, 8),
        nn.ReLU(),
        nn.Sequential(nn.Dropout(0.1), nn.Linear(8, 2)),
    )

``list(model.modules())`` has 6 entries: the outer Sequential, Linear, ReLU, the inner
Sequential, Dropout and the second Linear; ``[n for n, _ in model.named_modules()]`` is
``['', '0', '1', '2', '2.0', '2.1']``, and ``model.get_submodule("2.1")`` is the last Linear.

Write four functions. Each takes any ``nn.Module`` (we test other trees too: ``ModuleList``,
``ModuleDict``, deeper nesting, a module that sits in two places of the tree, a model without any
parameters):

* ``count_modules(model) -> int``: how many modules the tree has — as many as ``modules()``
  yields: the root and parameter-less modules included. Above: 6.
* ``parameter_free_modules(model) -> list[str]``: the qualified names (as ``named_modules()``
  gives them, the root's ``""`` included) of the modules that hold no parameters at all,
  counting those of their submodules, as ``m.parameters()`` does: so a container counts as free
  only if everything in it is. A frozen parameter (``requires_grad=False``) is a parameter; a
  buffer is not. Above: ``['1', '2.0']``. Any order.
* ``child_names(model) -> list[str]``: the names of the direct children, in order. Above:
  ``['0', '1', '2']``.
* ``replace_module(model, name, new) -> None``: replace the submodule at the dotted ``name``
  with the module ``new``, in place, so that ``model.get_submodule(name) is new`` afterwards
  and ``model(x)`` uses it. Above, ``replace_module(model, "2.0", nn.Identity())`` removes the
  dropout. A name may have any number of dots, or none (``"head"`` is a child of the root).

About ``replace_module``: ``setattr(model, "2.0", new)`` does not do it — it adds a new child
whose name happens to contain a dot and leaves the old module in place. Neither does
``layer = model.get_submodule(name); layer = new``, which only rebinds a local variable.
Find the *parent* (``get_submodule`` of the part before the last dot) and set the last part
of the name on it: ``setattr(parent, "0", new)`` works for Sequential, ModuleList and
ModuleDict entries too.
"""

from torch import nn


def count_modules(model: nn.Module) -> int:
    """The number of modules in the tree, the root and parameter-less modules included."""
    ### BEGIN SOLUTION
    return sum(1 for _ in model.modules())
    ### END SOLUTION


def parameter_free_modules(model: nn.Module) -> list[str]:
    """Qualified names of the modules whose parameters() (submodules' included) is empty."""
    ### BEGIN SOLUTION
    return [name for name, module in model.named_modules() if next(module.parameters(), None) is None]
    ### END SOLUTION


def child_names(model: nn.Module) -> list[str]:
    """The names of the direct children, in order."""
    ### BEGIN SOLUTION
    return [name for name, _ in model.named_children()]
    ### END SOLUTION


def replace_module(model: nn.Module, name: str, new: nn.Module) -> None:
    """Put ``new`` where the submodule called ``name`` (dotted, as named_modules() spells it) is."""
    ### BEGIN SOLUTION
    parent_name, _, child = name.rpartition(".")
    parent = model.get_submodule(parent_name)  # get_submodule("") is the model itself
    setattr(parent, child, new)
    ### END SOLUTION
