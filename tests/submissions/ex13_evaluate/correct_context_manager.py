# A different but correct solution: a small context manager that switches to eval mode and back, no_grad as decorator.
# status: passed
# fails: none
import contextlib

import torch


@contextlib.contextmanager
def evaluating(model):
    mode = model.training
    model.train(False)
    try:
        yield model
    finally:
        model.train(mode)


@torch.no_grad()
def predict(model, x):
    with evaluating(model):
        output = model(x)
    return output
