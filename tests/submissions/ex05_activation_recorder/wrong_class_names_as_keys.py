# Keys are class names, not the qualified names from named_modules(): the two ReLUs share one key.
# status: failed
# fails: names, shapes, second_model, hidden_architectures
# message: Your keys are class names
# message: none of your keys is a name the reference records
import torch
from torch import nn


def record_output_shapes(model: nn.Module, x: torch.Tensor) -> dict[str, tuple[int, ...]]:
    shapes = {}
    handles = []

    def hook(module, inputs, output):
        shapes[type(module).__name__] = tuple(output.shape)

    try:
        for module in list(model.modules())[1:]:
            handles.append(module.register_forward_hook(hook))
        model(x)
    finally:
        for handle in handles:
            handle.remove()
    return shapes
