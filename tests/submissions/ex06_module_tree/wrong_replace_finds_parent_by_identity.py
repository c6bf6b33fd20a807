# Finds the parent by looking for the module that holds the old one: where a module sits in two
# places, the first place found is replaced, not the one the name gives.
# status: failed
# fails: hidden_replace_module
# message: the new module sits elsewhere in the tree than the name it was given for
# message: follow the name's parts to the parent
from torch import nn


def count_modules(model: nn.Module) -> int:
    return len(list(model.modules()))


def parameter_free_modules(model: nn.Module) -> list[str]:
    return [name for name, module in model.named_modules() if next(module.parameters(), None) is None]


def child_names(model: nn.Module) -> list[str]:
    return [name for name, _ in model.named_children()]


def replace_module(model: nn.Module, name: str, new: nn.Module) -> None:
    old = model.get_submodule(name)
    for parent in model.modules():
        for child_name, child in parent.named_children():
            if child is old:
                setattr(parent, child_name, new)
                return
