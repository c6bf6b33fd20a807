# len(model.modules) without the call: only count_modules's checks fail, the other functions keep their points.
# status: failed
# fails: count_modules, hidden_count_modules
# message: TypeError: object of type 'method' has no len()
# message: line 11 of your file
# message: call them
from torch import nn


def count_modules(model: nn.Module) -> int:
    return len(model.modules)


def parameter_free_modules(model: nn.Module) -> list[str]:
    return [name for name, module in model.named_modules() if next(module.parameters(), None) is None]


def child_names(model: nn.Module) -> list[str]:
    return [name for name, _ in model.named_children()]


def replace_module(model: nn.Module, name: str, new: nn.Module) -> None:
    parent_name, _, child = name.rpartition(".")
    setattr(model.get_submodule(parent_name), child, new)
