# Plain SGD without momentum and weight decay: the head trains differently.
# status: failed
# fails: optimizer_settings, fine_tune_head, hidden_optimizer, hidden_fine_tune
# message: momentum=0
# message: Your make_optimizer's SGD has other settings
import torch
import torch.nn.functional as F


def freeze(module):
    for p in module.parameters():
        p.requires_grad = False
        p.grad = None


def make_optimizer(model, lr):
    return torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=lr)


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

