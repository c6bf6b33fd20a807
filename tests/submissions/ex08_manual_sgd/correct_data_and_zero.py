# A different but correct solution: updates through .data and zero-fills the gradients.
# status: passed
# fails: none
import torch.nn.functional as F


def sgd_step(model, lr):
    for p in model.parameters():
        if p.grad is not None:
            p.data -= lr * p.grad
            p.grad.zero_()


def train_step(model, x, y, lr):
    prediction = model(x)
    loss = ((prediction - y) ** 2).mean()
    loss.backward()
    sgd_step(model, lr)
    return float(loss)
