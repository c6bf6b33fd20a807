# A different but correct solution: each module's own parameters (recurse=False), copy_ of the new value,
# and nn.MSELoss.
# status: passed
# fails: none
import torch
from torch import nn


def sgd_step(model, lr):
    with torch.no_grad():
        for module in model.modules():
            for parameter in module.parameters(recurse=False):
                if parameter.grad is None:
                    continue
                parameter.copy_(parameter - lr * parameter.grad)
                parameter.grad.zero_()


def train_step(model, x, y, lr):
    criterion = nn.MSELoss()
    prediction = model(x)
    loss = criterion(prediction, y)
    loss.backward()
    sgd_step(model, lr)
    return loss.detach().item()
