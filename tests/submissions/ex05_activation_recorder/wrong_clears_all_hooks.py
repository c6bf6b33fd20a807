# Removes hooks by clearing every module's hook dictionary, so the caller's own hook goes too.
# status: failed
# fails: handles_removed
# message: its own hook is gone
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
