# Puts a deep copy of the new module into the tree ("so the caller's module is not shared"): the
# tree looks right, but the module at the name is not the one the caller passed in.
# status: failed
# fails: replace_nested, replace_child_of_root, hidden_replace_module
# message: but not the module you were given
# message: Put the very object you were given into the tree
import copy

from torch import nn


def count_modules(model: nn.Module) -> int:
    return len(list(model.modules()))


def parameter_free_modules(model: nn.Module) -> list[str]:
    return [name for name, module in model.named_modules() if next(module.parameters(), None) is None]


def child_names(model: nn.Module) -> list[str]:
    return [name for name, _ in model.named_children()]


def replace_module(model: nn.Module, name: str, new: nn.Module) -> None:
    parent_name, _, child = name.rpartition(".")
    setattr(model.get_submodule(parent_name), child, copy.deepcopy(new))
