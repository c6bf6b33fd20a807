# freeze also switches the module to eval mode "to be safe": the parameters are frozen, but a BatchNorm
# in the backbone now normalises with its running statistics, and the model computes something else.
# status: failed
# fails: freeze_keeps_mode, hidden_freeze, hidden_fine_tune
# message: the modules of your model in eval mode (training=False) are: 'backbone'
# message: After fine_tune part of your model is in eval mode
import torch
import torch.nn.functional as F


def freeze(module):
    for p in module.parameters():
        p.requires_grad = False
        p.grad = None
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
