# The hook takes two arguments; a forward hook gets three, so model(x) raises inside the hook.
# status: failed
# fails: names, shapes, tuples_of_ints, runs_once, second_model, handles_removed, mode_kept, hidden_architectures, hidden_error, hidden_mode_kept
# message: TypeError
# message: hook(module, inputs, output)
import torch
from torch import nn


def record_output_shapes(model: nn.Module, x: torch.Tensor) -> dict[str, tuple[int, ...]]:
    shapes = {}
    handles = []

    def recorder(name):
        def hook(module, output):
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
