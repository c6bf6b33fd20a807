# One `handle` variable reassigned in the loop: only the last hook is removed.
# status: failed
# fails: handles_removed, handles_removed_on_error, hidden_error
# message: after one call it still carried 9 of your hooks, after two calls 18
# message: exactly one was removed
import torch
from torch import nn


def record_output_shapes(model: nn.Module, x: torch.Tensor) -> dict[str, tuple[int, ...]]:
    shapes = {}

    def recorder(name):
        def hook(module, inputs, output):
            shapes[name] = tuple(output.shape)

        return hook

    handle = None
    for name, module in model.named_modules():
        if name:
            handle = module.register_forward_hook(recorder(name))
    try:
        model(x)
    finally:
        handle.remove()
    return shapes
