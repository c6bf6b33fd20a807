"""Exercise 08 — One step of gradient descent, by hand.

After ``loss.backward()``, every parameter ``p`` that took part in the loss holds the gradient
of the loss in ``p.grad``, a tensor of the same shape as ``p``. One step of plain stochastic
gradient descent moves each parameter a little against its gradient::

    p  ←  p − lr · p.grad

This is what ``torch.optim.SGD`` does for you; here you write it yourself. Write two functions
(their names and signatures are fixed; the grader calls them):

* ``sgd_step(model, lr)``: update every parameter of ``model`` that has a gradient, **in place**,
  then clear its gradient (set ``p.grad = None``, or fill it with zeros). Skip parameters whose
  ``p.grad`` is None: they are frozen (``requires_grad=False``) or took no part in the loss.
  ``model`` can be any ``nn.Module``: its parameters may sit in nested containers, in layers of any
  kind, or on the model itself.
* ``train_step(model, x, y, lr)``: one step of training on the batch ``(x, y)`` with the mean
  squared error: ``loss = F.mse_loss(model(x), y)``, ``loss.backward()``, then
  ``sgd_step(model, lr)``. Returns the loss (computed before the step) as a Python float.

Example::

    >>> model = nn.Linear(1, 1)
    >>> with torch.no_grad():
    ...     model.weight.fill_(1.0); model.bias.fill_(0.0)
    >>> x, y = torch.tensor([[1.0]]), torch.tensor([[0.0]])
    >>> train_step(model, x, y, lr=0.25)   # loss = (1·1 + 0 − 0)² = 1; d loss / d weight = 2·1·1 = 2
    1.0
    >>> model.weight.item(), model.weight.grad
    (0.5, None)                             # 1 − 0.25·2 = 0.5, and the gradient is cleared

Three things to get right:

* **Change the parameter itself.** ``p = p - lr * p.grad`` computes a new tensor and rebinds
  the local name ``p`` to it; the model's parameter does not change at all. Update in place:
  ``p -= lr * p.grad`` (or ``p.sub_(lr * p.grad)``).
* **Under ``torch.no_grad()``.** A parameter is a *leaf* tensor that requires grad, and autograd
  refuses to change it in place while it records operations ("a leaf Variable that requires
  grad is being used in an in-place operation"). Put the update inside
  ``with torch.no_grad():``. Do not switch ``requires_grad`` off to get around the error: the
  parameter would stop learning. (``p.data -= lr * p.grad`` works too — ``.data`` is the same
  storage seen without autograd — but it skips autograd's safety checks; prefer no_grad.)
* **Clear the gradients.** ``backward()`` *adds* to ``p.grad``; it never overwrites it. If you
  do not clear it, the next step uses the sum of this batch's gradient and every earlier one.

Return ``loss.item()``, not ``loss``: the loss tensor keeps the whole graph of the forward pass
alive, and a list of them grows memory with every step.
"""

import torch
import torch.nn.functional as F
from torch import nn


def sgd_step(model: nn.Module, lr: float) -> None:
    """p ← p − lr · p.grad for every parameter with a gradient, in place; then clear the gradients."""
    ### BEGIN SOLUTION
    with torch.no_grad():
        for p in model.parameters():
            if p.grad is None:
                continue
            p -= lr * p.grad
            p.grad = None
    ### END SOLUTION


def train_step(model: nn.Module, x: torch.Tensor, y: torch.Tensor, lr: float) -> float:
    """Mean squared error of model(x) against y, backward, one sgd_step; returns the loss as a float."""
    ### BEGIN SOLUTION
    loss = F.mse_loss(model(x), y)
    loss.backward()
    sgd_step(model, lr)
    return loss.item()
    ### END SOLUTION
