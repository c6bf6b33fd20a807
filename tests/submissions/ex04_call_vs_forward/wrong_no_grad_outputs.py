# A different but correct solution: a callable counter object, results under torch.no_grad(), a tuple of outputs.
# status: passed
# fails: none
import torch
from torch import nn


class Counter:
    def __init__(self):
        self.calls = 0

    def __call__(self, module, inputs, output):
        self.calls += 1


def count_calls(model: nn.Module, module: nn.Module, batches):
    counter = Counter()
    handle = module.register_forward_hook(counter)
    with torch.no_grad():
        try:
            outputs = tuple(model(x) for x in batches)
        finally:
            handle.remove()
    return outputs, counter.calls
