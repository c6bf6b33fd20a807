# The dict lives at the top level of the file: a second call still holds the first model's entries.
# status: failed
# fails: second_model, hidden_architectures
# message: left over from the first call
# message: names of the public models, left over from earlier calls
import torch
from torch import nn

shapes = {}


def record_output_shapes(model: nn.Module, x: torch.Tensor) -> dict[str, tuple[int, ...]]:
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
