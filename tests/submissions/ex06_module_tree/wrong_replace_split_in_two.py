# Splits the name into exactly two parts: fails on 'head' (no dot) and on deeper names.
# status: failed
# fails: replace_child_of_root, hidden_replace_module
# message: ValueError
# message: split off only the last part
from torch import nn


def count_modules(model: nn.Module) -> int:
    return len(list(model.modules()))


def parameter_free_modules(model: nn.Module) -> list[str]:
    return [name for name, module in model.named_modules() if next(module.parameters(), None) is None]


def child_names(model: nn.Module) -> list[str]:
    return [name for name, _ in model.named_children()]


def replace_module(model: nn.Module, name: str, new: nn.Module) -> None:
    parent, child = name.split(".")
    setattr(getattr(model, parent), child, new)
