"""Exercise 13 — Predicting in evaluation mode, without gradients, and putting the model back.

Two switches matter when you validate or predict, and they do different things:

* ``model.eval()`` (the same as ``model.train(False)``) sets ``training = False`` on the model
  and every submodule. Layers that behave differently in training change behaviour: dropout
  stops zeroing random activations, and batch norm normalises with its running statistics
  instead of the batch's, and stops updating those statistics. It does nothing to gradients.
* ``torch.no_grad()`` (or ``torch.inference_mode()``) stops autograd from recording the
  computation: no graph is built, which saves memory and time, and the output does not require
  grad. It does nothing to dropout or batch norm.

Validation needs both. Without ``eval()``, predictions are noisy (dropout) and every forward
pass moves batch norm's running statistics, so merely *validating* changes the model. Without
``no_grad()``, each forward pass builds a graph that is never used.

Write ``predict(model, x)``: return ``model(x)`` computed with the whole model in evaluation
mode and under ``torch.no_grad()``, so that the output does not require grad, not even for an
``x`` that does. Call the model as ``model(x)``, which runs its hooks, not ``model.forward(x)``,
which skips them. Any model and any input it accepts will do: the grader also passes models with
other layers, with hooks, and with modules nested in containers.

Then give the model back exactly as you found it:

* every module in the mode it was in before the call. A model that was training goes back to
  training mode, and a model that was already in evaluation mode stays in it (so
  ``model.train()`` at the end is not right). The modes of a model's submodules may differ
  (exercise 14 puts frozen blocks in evaluation mode inside a model that trains), so remember
  each module's ``training`` flag, over ``model.modules()``, and set each one back.
  ``model.train(was_training)`` is not enough: it gives every submodule the model's own mode.
  Nor is assigning ``model.training``, which is the model's own flag only;
* gradients enabled or disabled as they were: the caller may itself be inside
  ``torch.no_grad()``, and must still be when ``predict`` returns;
* every parameter as trainable as it was, and every parameter and buffer unchanged.

Put the model back even when it raises, and let its error reach the caller: use ``try`` /
``finally``.

Example::

    >>> model = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.Dropout(0.5), nn.Linear(8, 2))
    >>> model.training                            # a new module starts in training mode
    True
    >>> x = torch.randn(16, 4)
    >>> y = predict(model, x)
    >>> y.requires_grad, model.training
    (False, True)
    >>> torch.equal(y, predict(model, x))         # no dropout noise: same input, same output
    True
    >>> batch_norm = model[1].eval()              # batch norm alone in evaluation mode
    >>> y = predict(model, x)
    >>> model.training, model[1].training, model[2].training
    (True, False, True)

A correction to the lecture: it suggests setting ``requires_grad=False`` for validation. That
is how you *freeze* parameters for training (exercise 09), not how you validate: it leaves
dropout and batch norm in training mode, it changes the parameters for good unless you undo it,
and an input that requires grad still builds a graph. Use ``model.eval()`` with
``torch.no_grad()`` (or ``torch.inference_mode()``).
"""

import torch
from torch import nn


def predict(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """``model(x)`` in evaluation mode under ``torch.no_grad()``; the model is given back as it was."""
    raise NotImplementedError("predict is not implemented yet")
