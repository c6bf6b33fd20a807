# freeze goes over the parameters that hold a gradient ("drop any gradient it still holds"): a parameter
# that took no part in earlier training holds none, and stays trainable.
# status: failed
# fails: hidden_freeze, hidden_fine_tune
# message: still have requires_grad=True: a trainable layer that takes no part in the output;
import torch
import torch.nn.functional as F


def freeze(module):
    for p in module.parameters():
        if p.grad is not None:
            p.requires_grad = False
            p.grad = None


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
