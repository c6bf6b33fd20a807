"""Exercise 12 — Loading a pretrained backbone into a model with a new head.

Transfer learning starts from a network trained on another task: you keep its backbone (the
layers that turn an image into features) and put a new head on top for your own classes. The
pretrained checkpoint then fits your model only in part:

* the backbone's tensors have the same names and shapes in both: load them;
* the head has the same names (``head.weight``, ``head.bias``) but another shape — the old head
  had 10 classes, yours has 18 — so it must *not* be loaded: it keeps its fresh initial values;
* the checkpoint may hold layers your model does not have (an auxiliary classifier), and your
  model may have layers the checkpoint lacks.

Write two functions:

* ``compatible_tensors(model, state_dict)`` returns a new dict with the entries of
  ``state_dict`` that ``model`` can take: the key is one of ``model.state_dict()``'s keys *and*
  the tensor has the same shape as the model's. Decide tensor by tensor: of a layer whose input
  size changed, the checkpoint's bias still fits and is kept, its weight is not. Use
  ``model.state_dict()``, not ``named_parameters()``: the state_dict also holds the buffers (batch
  norm's running mean and variance), which belong to a pretrained backbone as much as its weights
  do, and it lists a module registered under two names under both.
* ``load_pretrained(model, state_dict)`` loads the compatible tensors into ``model`` (in place),
  leaves every other tensor of ``model`` as it was, and returns the list of keys it loaded, sorted.
  Loading changes the values of the model's tensors and nothing else: the model stays in the mode
  it was in and trains as before.

Example::

    >>> checkpoint = pretrained.state_dict()     # backbone + head = nn.Linear(16, 10)
    >>> model = Net(classes=18)                  # backbone + head = nn.Linear(16, 18)
    >>> load_pretrained(model, checkpoint)
    ['backbone.0.bias', 'backbone.0.weight', 'backbone.1.bias', ...]   # no head.* in it

Filtering by key alone is not enough: ``head.weight`` is in both dicts, and
``model.load_state_dict`` raises "size mismatch for head.weight" when it meets it, even with
``strict=False`` (strict is only about missing and unexpected *keys*). Copying it anyway, with
``param.data = tensor``, is worse: it silently replaces your 18-class head by the old 10-class one.
After filtering, load with ``strict=False``: the head's keys are then missing from the dict on
purpose, and strict loading would refuse that.
"""

import torch
from torch import nn


def compatible_tensors(model: nn.Module, state_dict: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """The entries of ``state_dict`` whose key is in ``model.state_dict()`` with the same shape."""
    ### BEGIN SOLUTION
    own = model.state_dict()
    return {key: tensor for key, tensor in state_dict.items() if key in own and own[key].shape == tensor.shape}
    ### END SOLUTION


def load_pretrained(model: nn.Module, state_dict: dict[str, torch.Tensor]) -> list[str]:
    """Load the compatible tensors of ``state_dict`` into ``model``; return their keys, sorted."""
    ### BEGIN SOLUTION
    compatible = compatible_tensors(model, state_dict)
    model.load_state_dict(compatible, strict=False)
    return sorted(compatible)
    ### END SOLUTION
