# Records in eval mode and "puts the model back" with model.train(): right for a model that was
# training throughout, wrong for one whose caller kept some modules (a frozen BatchNorm) in eval mode.
# status: failed
# fails: hidden_mode_kept
# message: some of your model's modules are in another mode (training or eval) than the reference leaves them in
# message: left with all of them in one
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
        model(x)
    finally:
        for handle in handles:
            handle.remove()
        model.train()
    return shapes
