# A different but correct solution: a callable counter object as the hook, and the outputs
# collected by a loop into a list.
# status: passed
# fails: none
from torch import nn


class CallCounter:
    def __init__(self):
        self.calls = 0

    def __call__(self, module, inputs, output):
        self.calls += 1


def count_calls(model: nn.Module, module: nn.Module, batches):
    counter = CallCounter()
    handle = module.register_forward_hook(counter)
    outputs = []
    try:
        for x in batches:
            outputs.append(model(x))
    finally:
        handle.remove()
    return outputs, counter.calls
