# Its own recursion over named_children(): a module that sits in two places of the tree is walked,
# and counted and listed, once per place, where modules() and named_modules() give it once.
# status: failed
# fails: hidden_count_modules, hidden_parameter_free_modules
# message: counts a module that sits in two places of the tree twice
# message: names a module that sits in two places of the tree twice
from torch import nn


def _walk(module, prefix=""):
    yield prefix, module
    for name, child in module.named_children():
        yield from _walk(child, f"{prefix}.{name}" if prefix else name)


def count_modules(model):
    return sum(1 for _ in _walk(model))


def parameter_free_modules(model):
    return [name for name, module in _walk(model) if not list(module.parameters())]


def child_names(model):
    return [name for name, _ in model.named_children()]


def replace_module(model, name, new):
    parent_name, _, child = name.rpartition(".")
    setattr(model.get_submodule(parent_name), child, new)
