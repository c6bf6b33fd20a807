# eval() is mistaken for freezing: it changes dropout and batch norm, and stops no gradient.
# status: failed
# fails: freeze_flags, freeze_drops_grads, freeze_keeps_mode, fine_tune_backbone, fine_tune_head, hidden_freeze, hidden_fine_tune
# message: You switched the backbone to eval mode
# message: the modules of your model in eval mode (training=False) are: 'backbone'
import torch
import torch.nn.functional as F


def freeze(module):
    module.eval()


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

