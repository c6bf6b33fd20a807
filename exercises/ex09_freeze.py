"""Exercise 09 — Freeze a backbone, train only the head.

Fine-tuning often keeps most of a trained network fixed (the *backbone*, which turns inputs into
features) and trains only a small new *head* on top. A parameter is frozen when its
``requires_grad`` is False: backward() then computes no gradient for it, and an optimizer that
never sees a gradient for it leaves it alone.

The models you get have two submodules, ``model.backbone`` and ``model.head`` (those two names
are fixed; what is inside them varies), and ``model(x)`` is ``model.head(model.backbone(x))``.
Write three functions (names and signatures are fixed; the grader calls them):

* ``freeze(module)``: make every parameter of ``module`` stop learning: set its
  ``requires_grad`` to False, and drop any gradient it still holds (``p.grad = None``).
  Nothing else changes: the module stays in the mode, training or eval, that it was in.
* ``make_optimizer(model, lr)``: a ``torch.optim.SGD`` with the given ``lr``,
  ``momentum=0.9`` and ``weight_decay=1e-2``, over **only the parameters of model that
  require grad**.
* ``fine_tune(model, batches, lr)``: freeze ``model.backbone``, build the optimizer with
  ``make_optimizer``, then for each ``(x, y)`` in ``batches`` (``y`` holds class indices):
  zero the gradients, ``loss = F.cross_entropy(model(x), y)``, ``loss.backward()``,
  ``optimizer.step()``. Returns the losses, as Python floats, in order.

The model may arrive with gradients left over from earlier training (say, a first stage that
trained everything): ``fine_tune`` must not let them move the backbone.

Example::

    >>> class Net(nn.Module):                # the grader's public model
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.backbone = nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 8), nn.ReLU())
    ...         self.head = nn.Linear(8, 3)
    ...     def forward(self, x):
    ...         return self.head(self.backbone(x))
    >>> model = Net()
    >>> freeze(model.backbone)
    >>> [p.requires_grad for p in model.backbone.parameters()]
    [False, False, False, False]
    >>> make_optimizer(model, lr=0.1).param_groups[0]["params"] == list(model.head.parameters())
    True

What the lecture gets wrong or leaves loose:

* ``module.requires_grad = False`` freezes **nothing**. nn.Module has no ``requires_grad``
  setting: the line just creates a new, unused attribute on the object, and every parameter
  still has ``requires_grad=True``. Freeze the parameters: ``module.requires_grad_(False)``
  (a method, with a trailing underscore) or ``p.requires_grad = False`` for each ``p`` in
  ``module.parameters()``. ``module.eval()`` does not freeze anything either: it only changes
  how dropout and batch norm behave.
* The lecture suggests ``requires_grad=False`` for validation. For validation use
  ``model.eval()`` together with ``with torch.no_grad():``; ``requires_grad=False`` is for
  parameters you do not want to train.
* ``requires_grad=False`` only stops *new* gradients. A gradient already stored in ``p.grad``
  stays there, and an optimizer that holds ``p`` still uses it: ``zero_grad(set_to_none=False)``
  turns it into zeros, and then weight decay (``+ weight_decay · p``) and momentum still move
  the "frozen" weight at every step. Give the optimizer only the trainable parameters, and drop
  the old gradients when you freeze.
"""

import torch
import torch.nn.functional as F
from torch import nn


def freeze(module: nn.Module) -> None:
    """Every parameter of module: requires_grad False and no stored gradient."""
    raise NotImplementedError("freeze is not implemented yet")


def make_optimizer(model: nn.Module, lr: float) -> torch.optim.SGD:
    """SGD(lr, momentum=0.9, weight_decay=1e-2) over the parameters of model that require grad."""
    raise NotImplementedError("make_optimizer is not implemented yet")


def fine_tune(model: nn.Module, batches: list[tuple[torch.Tensor, torch.Tensor]], lr: float) -> list[float]:
    """Freeze model.backbone and train the rest with cross-entropy, one step per batch; returns the losses."""
    raise NotImplementedError("fine_tune is not implemented yet")
