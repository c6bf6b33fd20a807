# A different but correct solution: a forward pre-hook counting into a list, and a loop.
# status: passed
# fails: none
import torch


def count_calls(model, module, batches):
    seen = []
    handle = module.register_forward_pre_hook(lambda m, inputs: seen.append(inputs[0].shape))
    outputs = []
    try:
        for x in batches:
            outputs.append(model(x))
    finally:
        handle.remove()
    return outputs, len(seen)
