# freeze reaches the public backbone's two Linear layers by index: a deeper backbone is not fully frozen.
# status: failed
# fails: hidden_freeze, hidden_fine_tune
# message: `for layer in (module[0], module[2]):`
# message: Only containers such as nn.Sequential can be indexed
import torch
import torch.nn.functional as F


def freeze(module):
    for layer in (module[0], module[2]):
        for p in layer.parameters():
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

