# A different but correct solution: named_parameters() everywhere, a dict of the trainable ones, and a
# training loop over enumerate() with the loss read through .detach().
# status: passed
# fails: none
import torch
import torch.nn.functional as F


def freeze(module):
    for _name, parameter in module.named_parameters():
        parameter.requires_grad_(False)
        parameter.grad = None


def make_optimizer(model, lr):
    trainable = {name: p for name, p in model.named_parameters() if p.requires_grad}
    return torch.optim.SGD(list(trainable.values()), lr=lr, momentum=0.9, weight_decay=1e-2)


def fine_tune(model, batches, lr):
    freeze(model.backbone)
    optimizer = make_optimizer(model, lr)
    history = [0.0] * len(batches)
    for index, (inputs, labels) in enumerate(batches):
        optimizer.zero_grad(set_to_none=True)
        logits = model(inputs)
        loss = F.cross_entropy(logits, labels)
        loss.backward()
        optimizer.step()
        history[index] = loss.detach().item()
    return history
