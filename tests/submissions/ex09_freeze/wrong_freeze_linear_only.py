# freeze walks the modules and freezes the nn.Linear layers, the only kind in the public backbone: a
# BatchNorm's parameters, and any parameter outside a Linear layer, keep learning.
# status: failed
# fails: hidden_freeze, hidden_fine_tune
# message: a BatchNorm layer's weight and bias
import torch
import torch.nn.functional as F
from torch import nn


def freeze(module):
    for layer in module.modules():
        if isinstance(layer, nn.Linear):
            layer.weight.requires_grad = False
            layer.bias.requires_grad = False
            layer.weight.grad = None
            layer.bias.grad = None


def make_optimizer(model, lr):
    trainable = [p for p in model.parameters() if p.requires_grad]
    return torch.optim.SGD(trainable, lr=lr, momentum=0.9, weight_decay=1e-2)


def fine_tune(model, batches, lr):
    freeze(model.backbone)
    optimizer = make_optimizer(model, lr)
    losses = []
    for x, y in batches:
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
