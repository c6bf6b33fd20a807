# Saves model.training and restores it with model.train(was): one flag for the whole model, so a
# model whose modules were in mixed modes comes back with every module in the root's mode.
# status: failed
# fails: hidden_mode_kept
# message: left with all of them in one
import torch
from torch import nn


def record_output_shapes(model: nn.Module, x: torch.Tensor) -> dict[str, tuple[int, ...]]:
    shapes = {}
    handles = []
    was_training = model.training

    def recorder(name):
        def hook(module, inputs, output):
            shapes[name] = tuple(output.shape)

        return hook

    model.eval()
    try:
        for name, module in model.named_modules():
            if name:
                handles.append(module.register_forward_hook(recorder(name)))
        with torch.no_grad():
            model(x)
    finally:
        for handle in handles:
            handle.remove()
        model.train(was_training)
    return shapes
