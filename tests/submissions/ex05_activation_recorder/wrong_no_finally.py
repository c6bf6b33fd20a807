# The hooks are removed after model(x), but not in a finally block: when model(x) raises, they stay.
# status: failed
# fails: handles_removed_on_error, hidden_error
# message: afterwards 10 of your hooks were still attached
# message: finally block
# message: With the public model's exception your hooks stayed too
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
    model(x)
    for handle in handles:
        handle.remove()
    return shapes
