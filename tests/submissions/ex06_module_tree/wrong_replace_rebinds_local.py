# Rebinds a local variable: nothing in the model changes.
# status: failed
# fails: replace_nested, replace_child_of_root, hidden_replace_module
# message: nothing in your model changed
# message: the new module is nowhere in it
from torch import nn


def count_modules(model: nn.Module) -> int:
    return len(list(model.modules()))


def parameter_free_modules(model: nn.Module) -> list[str]:
    return [name for name, module in model.named_modules() if next(module.parameters(), None) is None]


def child_names(model: nn.Module) -> list[str]:
    return [name for name, _ in model.named_children()]


def replace_module(model: nn.Module, name: str, new: nn.Module) -> None:
    module = model.get_submodule(name)
    module = new  # noqa: F841
