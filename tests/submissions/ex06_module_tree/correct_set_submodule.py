# A different but correct solution: nn.Module.set_submodule for the replacement, a dict of the tree
# for the count, a filter over named_modules() for the free modules.
# status: passed
# fails: none
from torch import nn


def count_modules(model: nn.Module) -> int:
    return len(dict(model.named_modules()))


def parameter_free_modules(model: nn.Module) -> list[str]:
    return list(filter(lambda name: not any(True for _ in model.get_submodule(name).parameters()), dict(model.named_modules())))


def child_names(model: nn.Module) -> list[str]:
    return [name for name, module in model.named_modules() if name and "." not in name]


def replace_module(model: nn.Module, name: str, new: nn.Module) -> None:
    model.set_submodule(name, new)
