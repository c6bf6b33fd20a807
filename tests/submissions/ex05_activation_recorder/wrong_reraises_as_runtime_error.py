# Wraps whatever model(x) raises in a RuntimeError of its own: the public error is a RuntimeError
# anyway, but any other exception reaches the caller as something it is not.
# status: failed
# fails: hidden_error
# message: your function raised another exception than the model's
# message: raising another one replaces it
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
            if name:
                handles.append(module.register_forward_hook(recorder(name)))
        model(x)
    except Exception as error:
        raise RuntimeError(f"record_output_shapes: the model failed: {error}") from error
    finally:
        for handle in handles:
            handle.remove()
    return shapes
