# A callable counter object, and the model run under torch.no_grad() "since we only count": the
# counts are right, but the outputs leave the autograd graph, so no loss computed from them can
# train the model.
# status: failed
# fails: gradients, hidden_gradients
# message: your output does not require grad
# message: a `torch.no_grad()` block
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
