# Counts the modules but leaves out the root (the model itself).
# status: failed
# fails: count_modules, hidden_count_modules
# message: yours returned 14
# message: the root, the model itself, is first
from torch import nn


def count_modules(model: nn.Module) -> int:
    return len(list(model.modules())) - 1


def parameter_free_modules(model: nn.Module) -> list[str]:
    return [name for name, module in model.named_modules() if next(module.parameters(), None) is None]


def child_names(model: nn.Module) -> list[str]:
    return [name for name, _ in model.named_children()]


def replace_module(model: nn.Module, name: str, new: nn.Module) -> None:
    parent_name, _, child = name.rpartition(".")
    setattr(model.get_submodule(parent_name), child, new)
