"""Exercise 01 — MyModel: your first nn.Module.

Every PyTorch model is a class that subclasses ``nn.Module``. It does two things:

* ``__init__`` calls ``super().__init__()`` first, then creates the layers and stores them as
  attributes (``self.conv1 = ...``). Storing a layer on ``self`` is what registers it: its
  weights then show up in ``parameters()``, ``state_dict()`` and get moved by ``.to()``.
* ``forward(x)`` says how an input flows through those layers. You never call it directly:
  ``model(x)`` calls it for you (and runs any hooks, see exercise 04).

Write ``MyModel``, the lecture's first model:

* ``conv1``: a 2-D convolution from 1 input channel to 20 output channels, kernel size 5;
* ``conv2``: a 2-D convolution from 20 channels to 20 channels, kernel size 5;
* ``forward(x)``: ``relu(conv2(relu(conv1(x))))``.

Example::

    >>> model = MyModel()
    >>> model(torch.zeros(1, 1, 28, 28)).shape
    torch.Size([1, 20, 20, 20])
    >>> sum(p.numel() for p in model.parameters())
    10540

Any ReLU will do: ``F.relu``, ``torch.relu``, ``nn.ReLU()`` modules, or in-place variants.

Two corrections to the lecture's slides:

* The slides write ``class MyModel(nn.module)``. The class is ``nn.Module``, capital M;
  ``nn.module`` does not exist and fails with an AttributeError.
* The slides feed a 3-channel (colour) image to ``Conv2d(1, ...)``, which fails: a layer built
  for 1 input channel needs inputs of shape (N, 1, H, W). Here the input is grayscale.
"""

import torch.nn.functional as F
from torch import nn


class MyModel(nn.Module):
    """conv1 (1 -> 20, 5x5), ReLU, conv2 (20 -> 20, 5x5), ReLU."""

    def __init__(self):
        ### BEGIN SOLUTION
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, 20, 5)
        ### END SOLUTION

    def forward(self, x):
        """x has shape (N, 1, H, W); the result has shape (N, 20, H - 8, W - 8)."""
        ### BEGIN SOLUTION
        x = F.relu(self.conv1(x))
        return F.relu(self.conv2(x))
        ### END SOLUTION
