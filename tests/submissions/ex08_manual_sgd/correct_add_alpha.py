# A different but correct solution: Tensor.add_ with alpha, module-level zero_grad, a decorator for no_grad.
# status: passed
# fails: none
import torch
import torch.nn.functional as F


@torch.no_grad()
def sgd_step(model, lr):
    for name, p in model.named_parameters():
        if p.grad is not None:
            p.add_(p.grad, alpha=-lr)
    model.zero_grad(set_to_none=True)


def train_step(model, x, y, lr):
    model.zero_grad()
    loss = F.mse_loss(model(x), y)
    loss.backward()
    value = loss.item()
    sgd_step(model, lr)
    return value
