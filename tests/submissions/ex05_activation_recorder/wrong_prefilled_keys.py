# Creates every key up front, in the model's order, and lets the hooks fill in the shapes: a module
# that never runs (an nn.ModuleList, an unused layer) keeps an entry of None.
# status: failed
# fails: hidden_architectures
# message: yours has names the reference's has not
# message: a module gets an entry only when its hook fires
import torch
from torch import nn


def record_output_shapes(model: nn.Module, x: torch.Tensor) -> dict[str, tuple[int, ...]]:
    shapes = {name: None for name, _ in model.named_modules() if name}
    handles = []

    def recorder(name):
        def hook(module, inputs, output):
            shapes[name] = tuple(output.shape)

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
