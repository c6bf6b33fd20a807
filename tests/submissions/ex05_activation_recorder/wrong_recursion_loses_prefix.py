# A recursive walk that passes a child's own name, not its qualified name, down to its children:
# right for names of two parts, but three levels down the first part is lost ('0.conv').
# status: failed
# fails: hidden_architectures
# message: some of the reference's names are missing from yours, yours has names the reference's has not
import torch
from torch import nn


def record_output_shapes(model: nn.Module, x: torch.Tensor) -> dict[str, tuple[int, ...]]:
    shapes = {}
    handles = []

    def attach(module, prefix):
        for name, child in module.named_children():
            qualified = f"{prefix}.{name}" if prefix else name
            handles.append(child.register_forward_hook(lambda m, i, o, key=qualified: shapes.update({key: tuple(o.shape)})))
            attach(child, name)

    try:
        attach(model, "")
        model(x)
    finally:
        for handle in handles:
            handle.remove()
    return shapes
