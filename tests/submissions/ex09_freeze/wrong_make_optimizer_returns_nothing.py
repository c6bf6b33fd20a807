# make_optimizer builds the optimizer but forgets to return it.
# status: failed
# fails: optimizer_params, optimizer_settings, fine_tune_backbone, fine_tune_head, hidden_optimizer, hidden_fine_tune
# message: 'NoneType' object has no attribute
import torch
import torch.nn.functional as F


def freeze(module):
    for p in module.parameters():
        p.requires_grad = False
        p.grad = None


def make_optimizer(model, lr):
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.SGD(trainable, lr=lr, momentum=0.9, weight_decay=1e-2)


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
