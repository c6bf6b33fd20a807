# Splits the name at its first dot: 'features.1' and 'head' work, but for a deeper name the rest
# ('0.1') is set on the first part as one child whose name holds a dot.
# status: failed
# fails: hidden_replace_module
# message: your model gained a child registered under a name that holds a dot
# message: setattr with a dotted name does not walk the path
from torch import nn


def count_modules(model: nn.Module) -> int:
    return len(list(model.modules()))


def parameter_free_modules(model: nn.Module) -> list[str]:
    return [name for name, module in model.named_modules() if next(module.parameters(), None) is None]


def child_names(model: nn.Module) -> list[str]:
    return [name for name, _ in model.named_children()]


def replace_module(model: nn.Module, name: str, new: nn.Module) -> None:
    if "." not in name:
        setattr(model, name, new)
        return
    first, rest = name.split(".", 1)
    setattr(getattr(model, first), rest, new)
