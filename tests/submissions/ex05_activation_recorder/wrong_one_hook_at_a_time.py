# One hook at a time: attach it, run the model, remove it, next module. The dict is right, but the
# model runs once per submodule instead of once.
# status: failed
# fails: runs_once
# message: your function ran the model's forward 10 times, 10 of them by calling model(x)
# message: attach all the hooks first
import torch
from torch import nn


def record_output_shapes(model: nn.Module, x: torch.Tensor) -> dict[str, tuple[int, ...]]:
    shapes = {}
    for name, module in model.named_modules():
        if name == "":
            continue

        def hook(module, inputs, output, name=name):
            shapes[name] = tuple(output.shape)

        handle = module.register_forward_hook(hook)
        try:
            model(x)
        finally:
            handle.remove()
    return shapes
