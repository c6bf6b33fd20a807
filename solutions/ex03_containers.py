"""Exercise 03 — containers: a network whose depth is a parameter.

When the number of layers is only known at run time, you build them in a loop and keep them in a
container. Use PyTorch's containers, never a plain Python list or dict:

* ``nn.ModuleList([...])``: a list of modules; iterate over it in ``forward``.
* ``nn.Sequential(...)``: modules applied one after another; calling it runs them all.
* ``nn.ModuleDict({...})``: modules by name (string keys).

They are modules themselves, so assigning one to ``self`` registers every module inside it: their
weights appear in ``parameters()`` and ``state_dict()``, an optimizer trains them, and
``.to(...)`` moves them. A plain list or dict registers *nothing*: the layers still compute, but
``parameters()`` skips them, ``torch.optim.SGD(model.parameters(), lr=0.1)`` fails with
"optimizer got an empty parameter list" (or silently trains only the other layers), and
``model.to(torch.float64)`` leaves them behind.

Write ``MultiHeadNet(in_features, width, depth, heads)``: a shared trunk with one output head
per task (as in a classifier that predicts several attributes of one image at once).

* The trunk has ``depth`` (≥ 1) blocks of Linear then ReLU: the first Linear maps
  ``in_features`` to ``width``, each of the others maps ``width`` to ``width``.
* ``heads`` is a dict from a task's name to its number of outputs; for each task there is one
  ``Linear(width, n)`` (no activation after it).
* ``forward(x)``, for x of shape (N, in_features), returns a dict with one entry per task:
  ``{name: head(trunk(x))}``, each of shape (N, n).

Every Linear has a bias. Build every layer in ``__init__``, and a new layer for each position:
``[nn.Linear(width, width)] * k`` is k times the *same* layer. The outputs stay part of the autograd
graph: ``backward()`` from them reaches every trunk layer, every head and x. Use the constructor's
arguments, not the example's: the grader also builds networks of depth 1 and deeper ones, with a
single head or several, named otherwise and given in any order.

Example::

    >>> model = MultiHeadNet(10, 16, 3, {"color": 4, "shape": 3, "size": 2})
    >>> {name: out.shape for name, out in model(torch.zeros(5, 10)).items()}
    {'color': torch.Size([5, 4]), 'shape': torch.Size([5, 3]), 'size': torch.Size([5, 2])}
    >>> sum(p.numel() for p in model.parameters())   # trunk 176 + 272 + 272, heads 68 + 51 + 34
    873
    >>> sum(isinstance(m, nn.Linear) for m in model.modules())
    6

The class name and the constructor's arguments are fixed; which containers you use, and their
names, are yours. One name is taken: do not call an attribute ``self.modules`` (or
``self.children``, ``self.parameters``): it hides nn.Module's method of that name.

A correction to the lecture: ``model.modules()`` does not yield only the modules that hold
weights. It yields every module in the tree, depth first: the model itself, the containers and
parameter-less modules such as ``nn.ReLU`` included. That is why the example above filters it.
"""

import torch.nn.functional as F
from torch import nn


class MultiHeadNet(nn.Module):
    """A trunk of ``depth`` Linear+ReLU blocks shared by one Linear head per task."""

    def __init__(self, in_features, width, depth, heads):
        ### BEGIN SOLUTION
        super().__init__()
        self.trunk = nn.ModuleList(nn.Linear(in_features if i == 0 else width, width) for i in range(depth))
        self.heads = nn.ModuleDict({name: nn.Linear(width, outputs) for name, outputs in heads.items()})
        ### END SOLUTION

    def forward(self, x):
        """x has shape (N, in_features); returns {task name: tensor of shape (N, outputs of that task)}."""
        ### BEGIN SOLUTION
        for layer in self.trunk:
            x = F.relu(layer(x))
        return {name: head(x) for name, head in self.heads.items()}
        ### END SOLUTION
