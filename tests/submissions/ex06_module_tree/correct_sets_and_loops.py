# A different but correct solution: loops, a set of names, children() zipped with names, get_submodule in a loop.
# status: passed
# fails: none
from torch import nn


def count_modules(model: nn.Module) -> int:
    total = 0
    for _ in model.named_modules():
        total += 1
    return total


def parameter_free_modules(model: nn.Module) -> list[str]:
    with_parameters = set()
    for parameter_name, _ in model.named_parameters():
        parts = parameter_name.split(".")[:-1]
        for i in range(len(parts) + 1):
            with_parameters.add(".".join(parts[:i]))
    return {name for name, _ in model.named_modules()} - with_parameters


def child_names(model: nn.Module) -> list[str]:
    names = []
    for name, _ in model.named_children():
        names.append(name)
    return names


def replace_module(model: nn.Module, name: str, new: nn.Module) -> None:
    if "." not in name:
        model.add_module(name, new)
        return
    parent_name, child = name.rsplit(".", 1)
    model.get_submodule(parent_name).add_module(child, new)
