# Each parameter is replaced by a new nn.Parameter: the model has the right values, but the tensors an
# optimizer or hook holds never change.
# status: failed
# fails: updates_parameters, second_step, skips_missing_gradients, hidden_steps
# message: holds new parameter objects
import torch
import torch.nn.functional as F
from torch import nn


def sgd_step(model, lr):
    with torch.no_grad():
        for module in model.modules():
            for name, p in list(module.named_parameters(recurse=False)):
                if p.grad is not None:
                    setattr(module, name, nn.Parameter(p - lr * p.grad))


def train_step(model, x, y, lr):
    loss = F.mse_loss(model(x), y)
    loss.backward()
    sgd_step(model, lr)
    return loss.item()
