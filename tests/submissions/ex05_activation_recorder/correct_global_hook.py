# A different but correct solution: one global module hook with a {module: name} map, removed in finally; an OrderedDict.
# status: passed
# fails: none
from collections import OrderedDict

import torch
from torch import nn
from torch.nn.modules.module import register_module_forward_hook


def record_output_shapes(model: nn.Module, x: torch.Tensor) -> dict[str, tuple[int, ...]]:
    names = {module: name for name, module in model.named_modules() if name}
    shapes = OrderedDict()

    def hook(module, inputs, output):
        if module in names:
            shapes[names[module]] = tuple(int(n) for n in output.shape)

    handle = register_module_forward_hook(hook)
    try:
        model(x)
    finally:
        handle.remove()
    return shapes
