"""Exercise 11 — Loading a checkpoint whose keys do not match the model.

``model.load_state_dict(state_dict)`` copies tensors by *name*. With ``strict=True`` (the
default) it refuses a dict that does not fit, and says why: **missing keys** are tensors the
model has and the dict lacks; **unexpected keys** are names in the dict that the model does not
have. Two everyday reasons for such a mismatch:

* The model was wrapped in ``nn.DataParallel`` (or ``DistributedDataParallel``) when it was
  saved. The wrapper keeps your model as its attribute ``module``, so every key starts with
  ``module.``: ``module.encoder.0.weight`` instead of ``encoder.0.weight``.
* A layer was renamed between the code that saved the checkpoint and the code that loads it:
  ``encoder`` is now called ``backbone``, ``fc`` is now ``head``.

Write two functions:

* ``remap_keys(state_dict, renames, prefix="module.")`` returns a **new** dict with the same
  tensors under the new names. First, a key that starts with ``prefix`` loses it (keys that do
  not start with it are kept: a checkpoint saved without DataParallel has none). The prefix is
  an argument: a model saved after ``torch.compile`` has ``_orig_mod.`` instead. Then
  ``renames`` maps an old module name to its new name: ``{"encoder": "backbone"}`` turns
  ``encoder.0.weight`` into ``backbone.0.weight``. A rename applies only to a whole module name
  at the start of the key: ``{"fc": "head"}`` renames ``fc.weight`` but neither ``fc2.weight``
  nor ``block.fc.weight``. Old names may contain dots (``"encoder.0"``); no old name in
  ``renames`` is the start of another one, so at most one rename applies to a key. Do not change
  the dict you were given: its caller may still need it.
* ``load_checkpoint(model, checkpoint, renames, prefix="module.")`` loads ``checkpoint``, remapped
  with ``remap_keys``, into ``model`` (in place; it returns nothing). Load strictly, so that a
  checkpoint that still does not fit raises an error instead of being half loaded. Loading
  changes the values of the model's tensors and nothing else: the model stays in the mode it
  was in and trains as before.

Example::

    >>> checkpoint = {"module.encoder.0.weight": w, "module.fc.bias": b}
    >>> remap_keys(checkpoint, {"encoder": "backbone", "fc": "head"})
    {'backbone.0.weight': w, 'head.bias': b}
    >>> list(checkpoint)           # unchanged
    ['module.encoder.0.weight', 'module.fc.bias']

Why not ``strict=False``? It does not skip the *wrong* keys, it skips *every* key that does not
match: with the prefix still on, nothing matches, ``load_state_dict(..., strict=False)`` loads
0 tensors, raises nothing, and you train or evaluate a randomly initialised model. It returns
the missing and unexpected keys, but only as a value that is easy to ignore. Keep
``strict=False`` for deliberate partial loading (exercise 12), and look at what it returns.

Two more traps: ``key.lstrip("module.")`` does not remove a prefix, it removes every leading
character among ``m o d u l e .`` (``"module.encoder.0.weight".lstrip("module.")`` is
``"ncoder.0.weight"``); use ``key.removeprefix(prefix)``. And ``key.replace("fc", "head")``
replaces ``fc`` anywhere in the key, ``fc2`` included.
"""

import torch
from torch import nn


def remap_keys(state_dict: dict[str, torch.Tensor], renames: dict[str, str], prefix: str = "module.") -> dict:
    """A new dict: ``prefix`` removed from the keys that start with it, then module names renamed."""
    raise NotImplementedError("remap_keys is not implemented yet")


def load_checkpoint(
    model: nn.Module, checkpoint: dict[str, torch.Tensor], renames: dict[str, str], prefix: str = "module."
) -> None:
    """Load ``checkpoint``, remapped, into ``model``; raise if it does not fit exactly."""
    raise NotImplementedError("load_checkpoint is not implemented yet")
