"""Exercise 02 — layers live in ``__init__``, computation in ``forward``.

A model's layers are *created once*, in ``__init__``, and stored on ``self``; ``forward`` only
*uses* them. That split is what makes a model learnable: the weights created in ``__init__``
are registered as the model's parameters, so ``model.parameters()`` hands them to an optimizer,
and every call of the model uses the same, trained, weights.

A layer created inside ``forward`` (``fc1 = nn.Linear(...)`` there) is a brand-new layer with
fresh random weights on every call: the model has no parameters, two calls on the same input
give different results, and ``torch.optim.SGD(model.parameters(), lr=0.1)`` fails with
"optimizer got an empty parameter list" — such a model cannot learn.

Write ``TwoLayerMLP(in_features, hidden, out_features)``, a two-layer perceptron:

* a fully connected layer, an ``nn.Linear``, from ``in_features`` to ``hidden`` features (with bias);
* a ReLU;
* an ``nn.Linear`` from ``hidden`` to ``out_features`` features (with bias), with no activation
  after it.

``forward(x)`` takes x of shape (N, in_features) and returns shape (N, out_features), still part
of the autograd graph: ``backward()`` from it reaches both layers' weights and biases, and x. Use the
constructor's arguments and assume nothing else of the example: the grader also builds models of
other sizes (``out_features`` may be 1) and feeds batches of any size N ≥ 1, with values of any
magnitude.

Example::

    >>> model = TwoLayerMLP(8, 32, 4)
    >>> model(torch.zeros(5, 8)).shape
    torch.Size([5, 4])
    >>> sum(p.numel() for p in model.parameters())   # 8·32 + 32 + 32·4 + 4
    420

The class name and the constructor's arguments are fixed; everything else is yours: name the
layers as you like, keep them as two attributes or in an ``nn.Sequential``, and use any ReLU
(``F.relu``, ``torch.relu``, ``nn.ReLU()``).
"""

import torch.nn.functional as F
from torch import nn


class TwoLayerMLP(nn.Module):
    """Linear(in_features -> hidden), ReLU, Linear(hidden -> out_features)."""

    def __init__(self, in_features, hidden, out_features):
        ### BEGIN SOLUTION
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.fc2 = nn.Linear(hidden, out_features)
        ### END SOLUTION

    def forward(self, x):
        """x has shape (N, in_features); the result has shape (N, out_features)."""
        ### BEGIN SOLUTION
        return self.fc2(F.relu(self.fc1(x)))
        ### END SOLUTION
