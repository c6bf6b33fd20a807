# Puts the model in eval mode "so that Dropout does not interfere", and leaves it there.
# status: failed
# fails: mode_kept, hidden_mode_kept
# message: the modules of your model in eval mode (training=False) are: the model itself, 'features', 'features.0'
# message: recording shapes needs neither
import torch
from torch import nn


def record_output_shapes(model: nn.Module, x: torch.Tensor) -> dict[str, tuple[int, ...]]:
    shapes = {}
    handles = []

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
    return shapes
