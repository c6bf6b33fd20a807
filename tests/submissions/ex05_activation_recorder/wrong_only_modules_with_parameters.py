# Hooks only on modules that hold weights (the lecture's idea of .modules()): ReLU, pooling, Flatten, Dropout are missing.
# status: failed
# fails: names, second_model, hidden_architectures
# message: yours lacks 'features', 'features.1', 'features.2', 'flatten', 'head', 'head.1', 'head.2'
# message: Your keys are exactly the modules that hold parameters of their own
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
        for name, module in model.named_modules():
            if name and list(module.parameters(recurse=False)):
                handles.append(module.register_forward_hook(recorder(name)))
        model(x)
    finally:
        for handle in handles:
            handle.remove()
    return shapes
