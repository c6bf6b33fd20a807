# Only nn.Linear layers are updated, as in every example so far: a BatchNorm's weight and bias, and a
# parameter the model holds itself, never learn.
# status: failed
# fails: hidden_steps, hidden_training
# message: a BatchNorm layer's weight and bias
# message: a parameter the model holds itself
import torch
import torch.nn.functional as F
from torch import nn


def sgd_step(model, lr):
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, nn.Linear):
                for p in (module.weight, module.bias):
                    if p.grad is not None:
                        p -= lr * p.grad
                        p.grad = None


def train_step(model, x, y, lr):
    loss = F.mse_loss(model(x), y)
    loss.backward()
    sgd_step(model, lr)
    return loss.item()
