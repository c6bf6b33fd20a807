# A different but correct solution: records in eval mode under torch.no_grad(), then gives every
# module back its own training flag; hooks kept in a dict by name and removed in finally.
# status: passed
# fails: none
import torch
from torch import nn


def record_output_shapes(model: nn.Module, x: torch.Tensor) -> dict[str, tuple[int, ...]]:
    was_training = {module: module.training for module in model.modules()}
    shapes: dict[str, tuple[int, ...]] = {}
    handles = {}
    for name, module in model.named_modules():
        if not name:
            continue

        def hook(module, inputs, output, name=name):
            shapes[name] = tuple(int(size) for size in output.shape)

        handles[name] = module.register_forward_hook(hook)
    model.eval()
    try:
        with torch.no_grad():
            model(x)
    finally:
        for handle in handles.values():
            handle.remove()
        for module, training in was_training.items():
            module.training = training
    return shapes
