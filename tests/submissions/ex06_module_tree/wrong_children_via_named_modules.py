# child_names walks named_modules(): the root and every nested module come back too.
# status: failed
# fails: child_names, hidden_child_names
# message: named_children() gives only the first level
from torch import nn


def count_modules(model: nn.Module) -> int:
    return len(list(model.modules()))


def parameter_free_modules(model: nn.Module) -> list[str]:
    return [name for name, module in model.named_modules() if next(module.parameters(), None) is None]


def child_names(model: nn.Module) -> list[str]:
    return [name for name, _ in model.named_modules()]


def replace_module(model: nn.Module, name: str, new: nn.Module) -> None:
    parent_name, _, child = name.rpartition(".")
    setattr(model.get_submodule(parent_name), child, new)
