# A different but correct solution: filter() over requires_grad, a param-group dict, and a print while training.
# status: passed
# fails: none
import torch
import torch.nn.functional as F


def freeze(module):
    for name, parameter in module.named_parameters():
        parameter.requires_grad = False
        if parameter.grad is not None:
            parameter.grad = None


def make_optimizer(model, lr):
    group = {"params": list(filter(lambda p: p.requires_grad, model.parameters()))}
    return torch.optim.SGD([group], lr=lr, momentum=0.9, weight_decay=1e-2)


def fine_tune(model, batches, lr):
    freeze(model.backbone)
    optimizer = make_optimizer(model, lr)
    losses = []
    for step, (x, y) in enumerate(batches):
        optimizer.zero_grad(set_to_none=True)
        logits = model(x)
        loss = F.cross_entropy(logits, y)
        loss.backward()
        optimizer.step()
        print(f"step {step}: loss {loss.item():.4f}")
        losses.append(loss.item())
    return losses
