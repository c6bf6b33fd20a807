# fine_tune returns the loss tensors instead of floats.
# status: failed
# fails: fine_tune_head, hidden_fine_tune
# message: a list holding a tensor of shape ()
import torch
import torch.nn.functional as F


def freeze(module):
    for p in module.parameters():
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
        losses.append(loss)
    return losses
