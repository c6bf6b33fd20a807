# A different but correct solution: a set of module ids for the count, sums of numel(), the
# children's names from a dict, and the parent reached with functools.reduce over getattr.
# status: passed
# fails: none
import functools

from torch import nn


def count_modules(model: nn.Module) -> int:
    return len({id(module) for module in model.modules()})


def parameter_free_modules(model: nn.Module) -> list[str]:
    free = []
    for name, module in model.named_modules():
        if sum(parameter.numel() for parameter in module.parameters()) == 0:
            free.append(name)
    return sorted(free)


def child_names(model: nn.Module) -> list[str]:
    return list(dict(model.named_children()))


def replace_module(model: nn.Module, name: str, new: nn.Module) -> None:
    *path, last = name.split(".")
    parent = functools.reduce(getattr, path, model)
    parent.register_module(last, new)
