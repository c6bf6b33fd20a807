# The optimizer is built over all parameters; freeze drops the old gradients, so here the backbone survives,
# but the optimizer still holds frozen weights.
# status: failed
# fails: optimizer_params, hidden_optimizer
# message: your optimizer holds 4 frozen parameters
import torch
import torch.nn.functional as F


def freeze(module):
    for p in module.parameters():
        p.requires_grad = False
        p.grad = None


def make_optimizer(model, lr):
    return torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, weight_decay=1e-2)


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

