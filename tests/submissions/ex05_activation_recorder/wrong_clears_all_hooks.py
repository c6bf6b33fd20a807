# Removes hooks by clearing every module's hook dictionary, so the model's own hooks go too.
# status: failed
# fails: handles_removed, handles_removed_on_error, hidden_error
# message: afterwards it carried 2 of its own 3 hooks and 0 of yours: your function removed hooks that were not yours
# message: clearing a module's hook dictionaries
import torch
from torch import nn


def record_output_shapes(model: nn.Module, x: torch.Tensor) -> dict[str, tuple[int, ...]]:
    shapes = {}

    def recorder(name):
        def hook(module, inputs, output):
            shapes[name] = tuple(output.shape)

        return hook

    try:
        for name, module in model.named_modules():
            if name:
                module.register_forward_hook(recorder(name))
        model(x)
    finally:
        for module in model.modules():
            module._forward_hooks.clear()
    return shapes
