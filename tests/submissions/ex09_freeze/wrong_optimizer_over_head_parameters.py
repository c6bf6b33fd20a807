# The optimizer is built over model.head.parameters(), as the example's comparison suggests: right
# while the head is all trainable, but a head layer the caller froze ends up in the optimizer too.
# status: failed
# fails: hidden_optimizer
# message: your optimizer holds parameters that do not require grad
# message: not by naming a part of the model
import torch
from torch import nn


def freeze(module):
    module.requires_grad_(False)
    module.zero_grad(set_to_none=True)


def make_optimizer(model, lr):
    return torch.optim.SGD(model.head.parameters(), lr, 0.9, weight_decay=0.01)


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
        losses.append(loss.item())
    return losses
