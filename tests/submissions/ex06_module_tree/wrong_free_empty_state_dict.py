# Tests for an empty state_dict(): a module with buffers but no parameters (a BatchNorm without
# affine weights) is not listed, although it holds no parameters.
# status: failed
# fails: hidden_parameter_free_modules
# message: state_dict() holds buffers too
from torch import nn


def count_modules(model: nn.Module) -> int:
    return len(list(model.modules()))


def parameter_free_modules(model: nn.Module) -> list[str]:
    return [name for name, module in model.named_modules() if len(module.state_dict()) == 0]


def child_names(model: nn.Module) -> list[str]:
    return [name for name, _ in model.named_children()]


def replace_module(model: nn.Module, name: str, new: nn.Module) -> None:
    parent_name, _, child = name.rpartition(".")
    setattr(model.get_submodule(parent_name), child, new)
