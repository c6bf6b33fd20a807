"""Exercise 10 — Checkpoints: save training, and resume it exactly.

Long training runs are saved now and then, so that a crash or a time limit does not lose them.
A checkpoint must hold everything that decides the next training steps: the model's weights
*and* the optimizer's state. Both come as a ``state_dict()``: a plain dictionary of tensors and
numbers that ``torch.save`` writes and ``torch.load(path, weights_only=True)`` reads back safely.

Write two functions (their names and signatures are fixed, and so is the file's layout, because
other code reads these files):

* ``save_checkpoint(path, model, optimizer, step)``: write with ``torch.save`` to ``path`` a
  dict with exactly three keys: ``"model"`` (the model's ``state_dict()``), ``"optimizer"`` (the
  optimizer's ``state_dict()``) and ``"step"`` (the int ``step``).
* ``load_checkpoint(path, model, optimizer)``: read the file with
  ``torch.load(path, weights_only=True)``, load the saved states into the ``model`` and
  ``optimizer`` you are given (freshly built, of the same kind as the saved ones), and return
  the saved step.

The model can be any ``nn.Module``: its state is its parameters and its buffers (such as a
BatchNorm's running statistics). The optimizer can be any ``torch.optim`` optimizer.

Training that is saved after k steps, loaded into a fresh model and optimizer and continued must
give, bit for bit, the same weights as training that never stopped.

Example::

    >>> model = nn.Linear(3, 2)
    >>> optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    >>> ...                                   # train for 100 steps
    >>> save_checkpoint("run.pt", model, optimizer, step=100)
    >>> torch.load("run.pt", weights_only=True).keys()
    dict_keys(['model', 'optimizer', 'step'])
    >>> model2 = nn.Linear(3, 2)
    >>> optimizer2 = torch.optim.Adam(model2.parameters(), lr=0.01)
    >>> load_checkpoint("run.pt", model2, optimizer2)
    100

Two mistakes to avoid:

* **Save state_dicts, not objects.** ``torch.save(model, path)`` pickles the whole object:
  loading it needs the model's class under the same module and name, and unpickling can run
  arbitrary code from the file. Since PyTorch 2.6, ``torch.load`` reads with
  ``weights_only=True`` by default and refuses such a file ("Weights only load failed …
  Unsupported global"). Do not "fix" that with ``weights_only=False`` on files you did not
  make yourself; save ``model.state_dict()`` instead.
* **Save the optimizer too.** Adam keeps, for every parameter, running averages of the gradient
  and of its square, and a step count; SGD with momentum keeps a velocity. A fresh optimizer
  starts them from zero, so the resumed run takes different steps from the one that never
  stopped.
"""

import torch
from torch import nn


def save_checkpoint(path: str, model: nn.Module, optimizer: torch.optim.Optimizer, step: int) -> None:
    """torch.save({"model": ..., "optimizer": ..., "step": step}, path), with state_dicts."""
    raise NotImplementedError("save_checkpoint is not implemented yet")


def load_checkpoint(path: str, model: nn.Module, optimizer: torch.optim.Optimizer) -> int:
    """Load the checkpoint at path into model and optimizer; return the saved step."""
    raise NotImplementedError("load_checkpoint is not implemented yet")
