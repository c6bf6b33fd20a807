# The hook records the shape of the module's input (inputs[0]) instead of its output.
# status: failed
# fails: shapes, second_model, hidden_architectures
# message: for 'features.0' yours is (2, 1, 10, 10), the reference's (2, 4, 8, 8)
# message: Each of your wrong shapes is the shape of that module's input
import torch
from torch import nn


def record_output_shapes(model: nn.Module, x: torch.Tensor) -> dict[str, tuple[int, ...]]:
    shapes = {}
    handles = []

    def recorder(name):
        def hook(module, inputs, output):
            shapes[name] = tuple(inputs[0].shape)

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
