# Sorts the children's names "to make the result predictable": the names are right, the order is not.
# status: failed
# fails: child_names, hidden_child_names
# message: the reference returns 'features', 'pool', 'head', in this order
# message: Your names are the right ones in another order
from torch import nn


def count_modules(model: nn.Module) -> int:
    return len(list(model.modules()))


def parameter_free_modules(model: nn.Module) -> list[str]:
    return [name for name, module in model.named_modules() if next(module.parameters(), None) is None]


def child_names(model: nn.Module) -> list[str]:
    return sorted(name for name, _ in model.named_children())


def replace_module(model: nn.Module, name: str, new: nn.Module) -> None:
    parent_name, _, child = name.rpartition(".")
    setattr(model.get_submodule(parent_name), child, new)
