# Only leaves are tested: a Sequential made of parameter-free layers ('pool') is missing.
# status: failed
# fails: parameter_free_modules, hidden_parameter_free_modules
# message: Your list is exactly the parameter-free leaves: containers count too
from torch import nn


def count_modules(model: nn.Module) -> int:
    return len(list(model.modules()))


def parameter_free_modules(model: nn.Module) -> list[str]:
    return [
        name
        for name, module in model.named_modules()
        if not list(module.children()) and not list(module.parameters())
    ]


def child_names(model: nn.Module) -> list[str]:
    return [name for name, _ in model.named_children()]


def replace_module(model: nn.Module, name: str, new: nn.Module) -> None:
    parent_name, _, child = name.rpartition(".")
    setattr(model.get_submodule(parent_name), child, new)
