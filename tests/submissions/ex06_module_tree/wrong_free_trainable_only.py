# "Parameter-free" read as "nothing to train": a module whose parameters are all frozen is listed.
# status: failed
# fails: hidden_parameter_free_modules
# message: a parameter with requires_grad=False is still a parameter
from torch import nn


def count_modules(model: nn.Module) -> int:
    return len(list(model.modules()))


def parameter_free_modules(model: nn.Module) -> list[str]:
    return [
        name
        for name, module in model.named_modules()
        if not any(parameter.requires_grad for parameter in module.parameters())
    ]


def child_names(model: nn.Module) -> list[str]:
    return [name for name, _ in model.named_children()]


def replace_module(model: nn.Module, name: str, new: nn.Module) -> None:
    parent_name, _, child = name.rpartition(".")
    setattr(model.get_submodule(parent_name), child, new)
