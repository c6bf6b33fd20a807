# Removes the hooks when model(x) raises a RuntimeError ("shape errors are RuntimeErrors"), and
# after a normal return: any other exception leaves every hook attached.
# status: failed
# fails: hidden_error
# message: some of your hooks were still attached afterwards
# message: the finally block of a try runs whatever happens
import torch
from torch import nn


def record_output_shapes(model: nn.Module, x: torch.Tensor) -> dict[str, tuple[int, ...]]:
    shapes = {}
    handles = []

    def recorder(name):
        def hook(module, inputs, output):
            shapes[name] = tuple(output.shape)

        return hook

    for name, module in model.named_modules():
        if name:
            handles.append(module.register_forward_hook(recorder(name)))
    try:
        model(x)
    except RuntimeError:
        for handle in handles:
            handle.remove()
        raise
    for handle in handles:
        handle.remove()
    return shapes
