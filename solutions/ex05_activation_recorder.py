"""Exercise 05 — an activation recorder: forward hooks and their handles.

A *forward hook* is a function that a module calls after its own ``forward`` has run, each time
the module is called as ``module(x)``::

    def hook(module, inputs, output):   # inputs: the tuple of positional arguments
        ...                             # output: what forward returned

    handle = layer.register_forward_hook(hook)
    ...
    handle.remove()                     # detach it again

``register_forward_hook`` returns a *handle*, and the handle is the only way to take that one
hook off again. A hook that is never removed stays attached to the model after your function
has returned: it runs on every later call, keeps whatever it refers to alive, and a second
recording adds a second hook next to the first.

Write ``record_output_shapes(model, x)``. It runs ``model(x)`` once and returns a dict that maps
the name of every submodule of ``model`` to the shape of that submodule's output, as a tuple of
ints (a ``torch.Size`` is one too). Apart from what ``model(x)`` itself does, it leaves the model
as it found it: every hook it added is removed before it returns, the hooks the model already
had stay, and every module keeps its training mode — also when ``model(x)`` raises (let the
exception propagate).

* "Every submodule" means every module that ``model.named_modules()`` yields except the root
  (the model itself, whose name is ``""``): layers without parameters (``nn.ReLU``,
  ``nn.MaxPool2d``, ``nn.Flatten``, ``nn.Dropout``, …) are layers too, and so are containers
  such as an ``nn.Sequential`` (its output is its last layer's output).
* The keys are the qualified names that ``named_modules()`` gives, such as ``"features.0"``
  for the first layer of a ``features`` Sequential — not class names, not module objects.
* A module that does not run during ``model(x)`` has no entry. In the models we test, every
  module runs once and returns a single tensor.
* Make a new dict on every call: a second call, maybe on another model, must not see the first.

Example::

    >>> model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
    >>> record_output_shapes(model, torch.zeros(3, 4))
    {'0': (3, 8), '1': (3, 8), '2': (3, 2)}
    >>> model[0]._forward_hooks        # nothing left behind
    OrderedDict()

Two things to watch:

* A hook made in a loop, ``lambda m, i, o: shapes.__setitem__(name, ...)``, looks up ``name``
  when it *runs*, after the loop has finished, so every hook writes under the last name. Bind
  the name when you make the hook: a helper function that returns the hook, a default argument
  (``lambda m, i, o, name=name: ...``) or ``functools.partial``.
* Remove the hooks in a ``finally:`` block, so that they are removed even when ``model(x)``
  fails.
"""

import torch
from torch import nn


def record_output_shapes(model: nn.Module, x: torch.Tensor) -> dict[str, tuple[int, ...]]:
    """Run ``model(x)`` once; return {qualified name: output shape} for every submodule, and
    leave no hook behind."""
    ### BEGIN SOLUTION
    shapes: dict[str, tuple[int, ...]] = {}

    def recorder(name):
        def hook(module, inputs, output):
            shapes[name] = tuple(output.shape)

        return hook

    handles = []
    try:
        for name, module in model.named_modules():
            if name:  # the root's name is ""
                handles.append(module.register_forward_hook(recorder(name)))
        model(x)
    finally:
        for handle in handles:
            handle.remove()
    return shapes
    ### END SOLUTION
