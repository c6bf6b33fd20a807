# "Layers and containers such as an nn.Sequential": hooks the leaves and the Sequentials only, so a
# block of the model's own class, which holds layers of its own, gets no entry.
# status: failed
# fails: hidden_architectures
# message: some of the reference's names are missing from yours
# message: not only an nn.Sequential
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
            is_leaf = len(list(module.children())) == 0
            if name and (is_leaf or isinstance(module, nn.Sequential)):
                handles.append(module.register_forward_hook(recorder(name)))
        model(x)
    finally:
        for handle in handles:
            handle.remove()
    return shapes
