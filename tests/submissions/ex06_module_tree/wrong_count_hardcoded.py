# Hard-codes the public tree's count: right on it, wrong on any other tree.
# status: failed
# fails: hidden_count_modules
# message: Your function is right on the public tree only
from torch import nn


def count_modules(model: nn.Module) -> int:
    return 15


def parameter_free_modules(model: nn.Module) -> list[str]:
    return [name for name, module in model.named_modules() if next(module.parameters(), None) is None]


def child_names(model: nn.Module) -> list[str]:
    return [name for name, _ in model.named_children()]


def replace_module(model: nn.Module, name: str, new: nn.Module) -> None:
    parent_name, _, child = name.rpartition(".")
    setattr(model.get_submodule(parent_name), child, new)
