# A different but correct solution: a context manager that notes every module's mode by name,
# switches to evaluation mode and gives each mode back; no_grad as a decorator.
# status: passed
# fails: none
import contextlib

import torch


@contextlib.contextmanager
def evaluating(model):
    modes = {name: module.training for name, module in model.named_modules()}
    model.train(False)
    try:
        yield model
    finally:
        for name, training in modes.items():
            model.get_submodule(name).training = training


@torch.no_grad()
def predict(model, x):
    with evaluating(model):
        output = model(x)
    return output
