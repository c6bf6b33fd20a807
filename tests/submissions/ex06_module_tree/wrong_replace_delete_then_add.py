# Deletes the old child and adds the new one under the same name: the new module is registered
# last among its parent's children, so a Sequential runs it last.
# status: failed
# fails: replace_nested, hidden_replace_module
# message: your tree holds the reference's modules, but in another order
# message: a child removed and added again goes to the end
from torch import nn


def count_modules(model: nn.Module) -> int:
    return len(list(model.modules()))


def parameter_free_modules(model: nn.Module) -> list[str]:
    return [name for name, module in model.named_modules() if next(module.parameters(), None) is None]


def child_names(model: nn.Module) -> list[str]:
    return [name for name, _ in model.named_children()]


def replace_module(model: nn.Module, name: str, new: nn.Module) -> None:
    parent_name, _, child = name.rpartition(".")
    parent = model.get_submodule(parent_name)
    delattr(parent, child)
    parent.add_module(child, new)
