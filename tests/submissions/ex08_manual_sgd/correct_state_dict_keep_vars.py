# A different but correct solution: the tensors of state_dict(keep_vars=True), filtered by their
# gradient in a comprehension, and the loss written out as a mean of squares.
# status: passed
# fails: none
import torch


def sgd_step(model, lr):
    tensors = model.state_dict(keep_vars=True).values()
    with_grad = [t for t in tensors if t.grad is not None]
    with torch.no_grad():
        for tensor in with_grad:
            tensor.sub_(tensor.grad, alpha=lr)
            tensor.grad = None


def train_step(model, x, y, lr):
    loss = ((model(x) - y) ** 2).mean()
    loss.backward()
    value = float(loss)
    sgd_step(model, lr)
    return value
