# A "defensive" hook that counts only calls whose output is a tensor: right for the example's
# layers, but a module that returns a tuple is never counted.
# status: failed
# fails: hidden_counts
# message: your count differs from the reference's
# message: your hook counted nothing
# message: whatever the module returns
import torch


def count_calls(model, module, batches):
    calls = 0

    def hook(module, inputs, output):
        nonlocal calls
        if isinstance(output, torch.Tensor):
            calls += 1

    handle = module.register_forward_hook(hook)
    try:
        outputs = [model(x) for x in batches]
    finally:
        handle.remove()
    return outputs, calls
