# One dict at the top level of the file, emptied at the start of every call: a second call does not
# see the first model's entries, but it empties and refills the very dict the first call returned.
# status: failed
# fails: second_model
# message: the dict the first call had returned changed during the second call
# message: Both calls returned the very same dict object
import torch
from torch import nn

SHAPES: dict[str, tuple[int, ...]] = {}


def record_output_shapes(model: nn.Module, x: torch.Tensor) -> dict[str, tuple[int, ...]]:
    SHAPES.clear()
    handles = []

    def recorder(name):
        def hook(module, inputs, output):
            SHAPES[name] = tuple(output.shape)

        return hook

    try:
        for name, module in model.named_modules():
            if name:
                handles.append(module.register_forward_hook(recorder(name)))
        model(x)
    finally:
        for handle in handles:
            handle.remove()
    return SHAPES
