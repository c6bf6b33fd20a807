# torch.enable_grad() around the run "so that the outputs keep their gradients": right when the
# caller computes with gradients, as in the example, but it overrides a caller's torch.no_grad().
# status: failed
# fails: hidden_gradients
# message: called under torch.no_grad(): your output requires grad; the reference's does not
# message: do not turn it back on (torch.enable_grad())
import torch


def count_calls(model, module, batches):
    calls = 0

    def hook(module, inputs, output):
        nonlocal calls
        calls += 1

    handle = module.register_forward_hook(hook)
    try:
        with torch.enable_grad():
            outputs = [model(x) for x in batches]
    finally:
        handle.remove()
    return outputs, calls
