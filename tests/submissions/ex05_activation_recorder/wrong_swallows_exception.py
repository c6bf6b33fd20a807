# "The function always returns a dict": the exception from model(x) is caught and dropped, so the
# caller never learns that the model failed.
# status: failed
# fails: error_propagates, hidden_error
# message: your function returned normally
# message: bare raise
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
    except Exception as error:
        print(f"the model failed: {error}")
    finally:
        for handle in handles:
            handle.remove()
    return shapes
