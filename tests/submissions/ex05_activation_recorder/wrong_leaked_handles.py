# The hooks are registered but never removed: every call leaves more of them on the model.
# status: failed
# fails: handles_removed, handles_removed_on_error
# message: the count grows with every call
# message: kept writing into it
# message: keep every handle
import torch
from torch import nn


def record_output_shapes(model: nn.Module, x: torch.Tensor) -> dict[str, tuple[int, ...]]:
    shapes = {}

    def recorder(name):
        def hook(module, inputs, output):
            shapes[name] = tuple(output.shape)

        return hook

    for name, module in model.named_modules():
        if name:
            module.register_forward_hook(recorder(name))
    model(x)
    return shapes
