# "Never change the caller's object": replaces the module in a deep copy of the model and returns
# the copy, so the model the caller holds is left as it was.
# status: failed
# fails: replace_nested, replace_child_of_root, hidden_replace_module
# message: your function returned a PublicTree and left the model it was given as it was
# message: The caller keeps using the model it passed in
import copy

from torch import nn


def count_modules(model: nn.Module) -> int:
    return len(list(model.modules()))


def parameter_free_modules(model: nn.Module) -> list[str]:
    return [name for name, module in model.named_modules() if next(module.parameters(), None) is None]


def child_names(model: nn.Module) -> list[str]:
    return [name for name, _ in model.named_children()]


def replace_module(model: nn.Module, name: str, new: nn.Module) -> nn.Module:
    result = copy.deepcopy(model)
    parent_name, _, child = name.rpartition(".")
    setattr(result.get_submodule(parent_name), child, new)
    return result
