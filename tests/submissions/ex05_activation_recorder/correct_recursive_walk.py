# A different but correct solution: its own recursive walk for the qualified names, hooks bound
# with a default argument, torch.Size values, and the hooks removed in an except that re-raises.
# status: passed
# fails: none
import torch
from torch import nn


def _walk(module, prefix=""):
    for name, child in module.named_children():
        qualified = f"{prefix}.{name}" if prefix else name
        yield qualified, child
        yield from _walk(child, qualified)


def record_output_shapes(model, x):
    recorded = {}
    handles = [
        module.register_forward_hook(lambda module, inputs, output, key=key: recorded.__setitem__(key, output.size()))
        for key, module in _walk(model)
    ]
    try:
        model(x)
    except BaseException:
        for handle in handles:
            handle.remove()
        raise
    for handle in handles:
        handle.remove()
    return recorded
