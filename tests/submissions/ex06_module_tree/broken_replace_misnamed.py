# replace_module is misnamed: only its checks fail.
# status: failed
# fails: replace_nested, replace_child_of_root, hidden_replace_module
# message: Your file defines no `replace_module`. It defines: child_names, count_modules, parameter_free_modules, replace_layer.
from torch import nn


def count_modules(model: nn.Module) -> int:
    return len(list(model.modules()))


def parameter_free_modules(model: nn.Module) -> list[str]:
    return [name for name, module in model.named_modules() if next(module.parameters(), None) is None]


def child_names(model: nn.Module) -> list[str]:
    return [name for name, _ in model.named_children()]


def replace_layer(model: nn.Module, name: str, new: nn.Module) -> None:
    parent_name, _, child = name.rpartition(".")
    setattr(model.get_submodule(parent_name), child, new)
