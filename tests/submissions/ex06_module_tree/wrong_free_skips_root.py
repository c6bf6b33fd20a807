# Leaves the root out of parameter_free_modules ("the model is not one of its modules"): right
# whenever the model holds parameters, wrong for a model that holds none.
# status: failed
# fails: hidden_parameter_free_modules
# message: Your list is right but for the root
from torch import nn


def count_modules(model: nn.Module) -> int:
    return len(list(model.modules()))


def parameter_free_modules(model: nn.Module) -> list[str]:
    return [name for name, module in model.named_modules() if name and not list(module.parameters())]


def child_names(model: nn.Module) -> list[str]:
    return [name for name, _ in model.named_children()]


def replace_module(model: nn.Module, name: str, new: nn.Module) -> None:
    parent_name, _, child = name.rpartition(".")
    setattr(model.get_submodule(parent_name), child, new)
