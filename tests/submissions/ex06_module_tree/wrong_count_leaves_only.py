# Counts only the leaves (modules without children): the root and the containers are missing.
# status: failed
# fails: count_modules, hidden_count_modules
# message: yours returned 11
# message: Your count is the number of leaves
from torch import nn


def count_modules(model: nn.Module) -> int:
    return sum(1 for module in model.modules() if not list(module.children()))


def parameter_free_modules(model: nn.Module) -> list[str]:
    return [name for name, module in model.named_modules() if next(module.parameters(), None) is None]


def child_names(model: nn.Module) -> list[str]:
    return [name for name, _ in model.named_children()]


def replace_module(model: nn.Module, name: str, new: nn.Module) -> None:
    parent_name, _, child = name.rpartition(".")
    setattr(model.get_submodule(parent_name), child, new)
