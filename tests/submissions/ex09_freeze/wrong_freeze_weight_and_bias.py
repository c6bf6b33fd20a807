# freeze looks for each layer's weight and bias: a parameter named otherwise, or held by the backbone
# itself, keeps learning.
# status: failed
# fails: hidden_freeze, hidden_fine_tune
# message: still have requires_grad=True: a parameter the model holds itself (in no layer, named neither weight nor bias);
import torch
import torch.nn.functional as F


def freeze(module):
    for layer in module.modules():
        for name in ("weight", "bias"):
            p = getattr(layer, name, None)
            if isinstance(p, torch.nn.Parameter):
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
