# Walks the tree with two nested loops over named_children(): enough for the public model, whose
# names have at most two parts, but a layer inside a block inside a ModuleList is never reached.
# status: failed
# fails: hidden_architectures
# message: some of the reference's names are missing from yours
# message: your walk of the tree stops two levels below the model
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
        for name, child in model.named_children():
            handles.append(child.register_forward_hook(recorder(name)))
            for inner_name, grandchild in child.named_children():
                handles.append(grandchild.register_forward_hook(recorder(f"{name}.{inner_name}")))
        model(x)
    finally:
        for handle in handles:
            handle.remove()
    return shapes
