# The shapes are stored as lists, `list(output.shape)`: the numbers are right, the type is not.
# status: failed
# fails: tuples_of_ints
# message: 10 of your 10 values are not tuples of ints
# message: A list of ints or a tensor is not a tuple of ints
import torch
from torch import nn


def record_output_shapes(model: nn.Module, x: torch.Tensor) -> dict[str, tuple[int, ...]]:
    shapes = {}
    handles = []

    def recorder(name):
        def hook(module, inputs, output):
            shapes[name] = list(output.shape)

        return hook

    try:
        for name, module in model.named_modules():
            if name:
                handles.append(module.register_forward_hook(recorder(name)))
        model(x)
    finally:
        for handle in handles:
            handle.remove()
    return shapes
