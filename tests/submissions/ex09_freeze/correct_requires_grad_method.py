# A different but correct solution: Module.requires_grad_ and Module.zero_grad to freeze, filter() for the
# optimizer, positional SGD arguments, and nn.CrossEntropyLoss with model.zero_grad in the loop.
# status: passed
# fails: none
import torch
from torch import nn


def freeze(module):
    module.requires_grad_(False)
    module.zero_grad(set_to_none=True)


def make_optimizer(model, lr):
    return torch.optim.SGD(filter(lambda p: p.requires_grad, model.parameters()), lr, 0.9, weight_decay=0.01)


def fine_tune(model, batches, lr):
    freeze(model.backbone)
    optimizer = make_optimizer(model, lr)
    criterion = nn.CrossEntropyLoss()
    losses = []
    for x, y in batches:
        model.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(float(loss.detach()))
    return losses
