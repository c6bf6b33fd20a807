# named_children() instead of named_modules(): only the first level of the tree is recorded.
# status: failed
# fails: names, hidden_architectures
# message: yours lacks 'features.0', 'features.1'
# message: Your keys are exactly the model's direct children
import torch
from torch import nn


def record_output_shapes(model: nn.Module, x: torch.Tensor) -> dict[str, tuple[int, ...]]:
    shapes = {}
    handles = []

    def recorder(name):
        def hook(module, inputs, output):
            shapes[name] = tuple(output.shape)

        return hook

    try:
        for name, module in model.named_children():
            handles.append(module.register_forward_hook(recorder(name)))
        model(x)
    finally:
        for handle in handles:
            handle.remove()
    return shapes
