# A lambda made in the loop reads `name` when it runs: every hook writes under the last name.
# status: failed
# fails: names, second_model, hidden_architectures
# message: Every hook wrote under the same name, 'head.3'
# message: Bind the name when you make the hook
import torch
from torch import nn


def record_output_shapes(model: nn.Module, x: torch.Tensor) -> dict[str, tuple[int, ...]]:
    shapes = {}
    handles = []
    try:
        for name, module in model.named_modules():
            if name:
                handles.append(
                    module.register_forward_hook(lambda m, i, o: shapes.__setitem__(name, tuple(o.shape)))
                )
        model(x)
    finally:
        for handle in handles:
            handle.remove()
    return shapes
