# setattr(model, 'features.1', new): adds a child whose name contains a dot; the old ReLU stays.
# status: failed
# fails: replace_nested, hidden_replace_module
# message: your model gained a child registered under the name 'features.1' on the model itself
# message: get_submodule('features.1') still finds the old ReLU
from torch import nn


def count_modules(model: nn.Module) -> int:
    return len(list(model.modules()))


def parameter_free_modules(model: nn.Module) -> list[str]:
    return [name for name, module in model.named_modules() if next(module.parameters(), None) is None]


def child_names(model: nn.Module) -> list[str]:
    return [name for name, _ in model.named_children()]


def replace_module(model: nn.Module, name: str, new: nn.Module) -> None:
    setattr(model, name, new)
