# The hooks are registered but never removed: every call leaves more of them on the model.
# status: failed
# fails: handles_removed, handles_removed_on_error, hidden_error
# message: after one call it still carried 10 of your hooks, after two calls 20
# message: kept writing into it
# message: None of your hooks was removed
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
