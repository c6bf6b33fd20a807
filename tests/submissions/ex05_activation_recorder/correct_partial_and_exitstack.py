# A different but correct solution: functools.partial hooks, handles closed by a contextlib.ExitStack, torch.Size values.
# status: passed
# fails: none
import contextlib
import functools

import torch
from torch import nn


def _store(shapes, name, module, inputs, output):
    shapes[name] = output.shape


def record_output_shapes(model, x):
    shapes = {}
    with contextlib.ExitStack() as stack:
        for name, module in model.named_modules():
            if name == "":
                continue
            handle = module.register_forward_hook(functools.partial(_store, shapes, name))
            stack.callback(handle.remove)
        model(x)
    return shapes
