"""Exercise 04 — ``model(x)`` runs hooks, ``model.forward(x)`` does not.

Calling a module, ``model(x)``, goes through ``nn.Module.__call__``, which runs the module's
forward *pre*-hooks, then ``forward``, then its forward hooks. Calling ``model.forward(x)``
directly runs ``forward`` alone: no hook fires, neither yours nor any that other code (a
profiler, a feature extractor, a debugging tool) registered. So always call ``model(x)``.

A forward hook is a function ``hook(module, inputs, output)`` that runs after every call of the
module it is registered on. ``module.register_forward_hook(hook)`` returns a *handle*, and the
hook stays attached until ``handle.remove()`` is called — after your function has returned, in
every later call of the model, for as long as the model exists. A hook that returns something
other than None replaces the module's output with it, so a counting hook returns nothing.

Write ``count_calls(model, module, batches)``:

* register a forward hook on ``module`` (``model`` itself or one of its submodules) that counts
  how many times the module runs;
* call ``model(x)`` for each ``x`` in ``batches``, in order;
* remove your hook, and only yours, before returning — also if the model raises (``try`` /
  ``finally``), whose error then reaches your caller;
* return ``(outputs, count)``: the list of the model's outputs, one per batch, as ``model(x)``
  returns them, and the number of times ``module`` ran during *this* call of ``count_calls``
  (an int).

Change nothing else: the model runs in the mode (``train()`` or ``eval()``) and under the autograd
setting (``torch.no_grad()`` or not) that your caller chose, and stays in that mode. So its outputs
stay part of the autograd graph when your caller's are, and a loss computed from them trains it.

A module can run more than once per batch: a layer that the model uses twice is counted twice.
``module`` may sit anywhere in the model's tree (say in an ``nn.Sequential`` inside an
``nn.ModuleDict``), and what it returns need not be a tensor (a tuple, say): count its calls all
the same.

Example::

    >>> shared = nn.Linear(4, 4)
    >>> model = nn.Sequential(shared, nn.ReLU(), shared)   # the same layer, used twice
    >>> outputs, count = count_calls(model, shared, [torch.zeros(1, 4), torch.zeros(3, 4)])
    >>> count, [out.shape for out in outputs]
    (4, [torch.Size([1, 4]), torch.Size([3, 4])])
    >>> count_calls(model, model, [torch.zeros(1, 4)])[1]
    1
    >>> len(shared._forward_hooks), len(model._forward_hooks)   # nothing left behind
    (0, 0)

A forward pre-hook (``register_forward_pre_hook``) counts just as well.
"""

from torch import nn


def count_calls(model: nn.Module, module: nn.Module, batches: list) -> tuple[list, int]:
    """Run model(x) for each x in batches; return (outputs, how many times module ran)."""
    ### BEGIN SOLUTION
    calls = 0

    def hook(module, inputs, output):
        nonlocal calls
        calls += 1

    handle = module.register_forward_hook(hook)
    try:
        outputs = [model(x) for x in batches]
    finally:
        handle.remove()
    return outputs, calls
    ### END SOLUTION
