# Frozen with requires_grad=False, but the old gradients stay, the optimizer holds every parameter and
# zero_grad(set_to_none=False) zero-fills them: weight decay and momentum still move the frozen backbone.
# status: failed
# fails: freeze_drops_grads, optimizer_params, fine_tune_backbone, fine_tune_head, hidden_freeze, hidden_optimizer, hidden_fine_tune
# message: still hold the gradient from earlier training
# message: Their old gradients were zero-filled, not dropped
# message: these backbone parameters changed
import torch
import torch.nn.functional as F


def freeze(module):
    for p in module.parameters():
        p.requires_grad = False


def make_optimizer(model, lr):
    return torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, weight_decay=1e-2)


def fine_tune(model, batches, lr):
    freeze(model.backbone)
    optimizer = make_optimizer(model, lr)
    losses = []
    for x, y in batches:
        optimizer.zero_grad(set_to_none=False)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
