"""Exercise 07 — parameters, buffers and plain tensors.

A module can hold three kinds of tensors, and nn.Module treats them very differently:

==================================  =================  ==============  ==============  ==============
kept on the module as               ``parameters()``   ``state_dict``  ``.to()``,      trained by an
                                    (optimizer sees)   (saved)         ``.double()``   optimizer
==================================  =================  ==============  ==============  ==============
``nn.Parameter(t)``                 yes                yes             converted       yes
``self.register_buffer("n", t)``    no                 yes             converted       no
``self.n = t`` (plain tensor)       no                 **no**          **left alone**  no
==================================  =================  ==============  ==============  ==============

A *buffer* is state that belongs to the model but is not learned: BatchNorm's running mean
and variance, a fixed mask, or statistics of the training data. A plain tensor attribute is
invisible to nn.Module: ``model.to("cuda")`` or ``model.double()`` leaves it behind on the CPU
or in float32, and ``torch.save(model.state_dict(), ...)`` forgets it, so a reloaded model
silently computes with whatever the constructor put there.

Part 1. Write ``Standardize(mean, std)``, a layer for inputs of shape (N, F) that
standardises every feature with statistics measured on the training data, then applies a
learned per-feature scale and shift::

    y = (x - mean) / std * weight + bias

* ``mean`` and ``std`` are 1-D tensors of shape (F,), given to the constructor. They are
  constants of the data: store them as buffers named ``mean`` and ``std``.
* ``weight`` (F ones) and ``bias`` (F zeros) are learned: ``nn.Parameter``s named ``weight``
  and ``bias``.

The four names are part of the assignment: ``state_dict()`` must have exactly the keys
``weight``, ``bias``, ``mean`` and ``std``. Like any layer, ``Standardize`` is differentiable:
``backward()`` reaches ``weight``, ``bias`` and the input ``x``.

Part 2. Write ``count_parameters(model) -> int``: how many numbers the model's parameters hold —
the elements of all its parameters, frozen ones (``requires_grad=False``) included, each
parameter counted once even when two modules share it (tied weights), buffers not counted.

Example::

    >>> layer = Standardize(torch.tensor([1.0, 2.0]), torch.tensor([0.5, 4.0]))
    >>> layer(torch.tensor([[2.0, 6.0]]))
    tensor([[2., 1.]], grad_fn=<AddBackward0>)
    >>> [name for name, _ in layer.named_parameters()], [name for name, _ in layer.named_buffers()]
    (['weight', 'bias'], ['mean', 'std'])
    >>> layer.double().mean.dtype
    torch.float64
    >>> count_parameters(nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4)))
    24

Why not count ``state_dict()``'s tensors? It also holds the buffers (the BatchNorm above has
``running_mean``, ``running_var`` and ``num_batches_tracked``: 9 more numbers), and it lists a
tied weight once under each name, so it counts it twice. ``model.parameters()`` yields every
parameter once and nothing else.
"""

import torch
from torch import nn


class Standardize(nn.Module):
    """y = (x - mean) / std * weight + bias; mean and std are buffers, weight and bias parameters."""

    def __init__(self, mean: torch.Tensor, std: torch.Tensor):
        ### BEGIN SOLUTION
        super().__init__()
        self.register_buffer("mean", mean.clone())
        self.register_buffer("std", std.clone())
        self.weight = nn.Parameter(torch.ones_like(mean))
        self.bias = nn.Parameter(torch.zeros_like(mean))
        ### END SOLUTION

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x has shape (N, F); so has the result."""
        ### BEGIN SOLUTION
        return (x - self.mean) / self.std * self.weight + self.bias
        ### END SOLUTION


def count_parameters(model: nn.Module) -> int:
    """The number of parameter elements: every parameter's, frozen ones too, shared ones once."""
    ### BEGIN SOLUTION
    return sum(parameter.numel() for parameter in model.parameters())
    ### END SOLUTION
