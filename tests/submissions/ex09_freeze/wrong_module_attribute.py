# `module.requires_grad = False` sets an attribute on the module object and freezes nothing.
# status: failed
# fails: freeze_flags, freeze_drops_grads, fine_tune_backbone, fine_tune_head, hidden_freeze, hidden_fine_tune
# message: creates a new, unused attribute and freezes nothing
# message: these backbone parameters changed
# message: Your backbone changed during training
# message: You set `requires_grad = False` on the module object
import torch
import torch.nn.functional as F


def freeze(module):
    module.requires_grad = False


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

