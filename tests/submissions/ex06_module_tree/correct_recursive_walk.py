# A different but correct solution: recursion over named_children() that skips a module it has
# seen (as named_modules() does), generators, item assignment for containers.
# status: passed
# fails: none
from torch import nn


def _walk(module, prefix="", seen=None):
    seen = set() if seen is None else seen
    if id(module) in seen:
        return
    seen.add(id(module))
    yield prefix, module
    for name, child in module.named_children():
        yield from _walk(child, f"{prefix}.{name}" if prefix else name, seen)


def count_modules(model):
    return sum(1 for _ in _walk(model))


def parameter_free_modules(model):
    return (name for name, module in _walk(model) if sum(p.numel() for p in module.parameters()) == 0)


def child_names(model):
    return list(model._modules)


def replace_module(model, name, new):
    *path, last = name.split(".")
    parent = model
    for part in path:
        parent = getattr(parent, part)
    if isinstance(parent, nn.Sequential | nn.ModuleList):
        parent[int(last)] = new
    elif isinstance(parent, nn.ModuleDict):
        parent[last] = new
    else:
        setattr(parent, last, new)
