# Every layer's weight and bias are updated, found by name: a parameter that is named otherwise, or
# that the model holds itself, never learns.
# status: failed
# fails: hidden_steps, hidden_training
# message: had a gradient but did not change
# message: a parameter the model holds itself (in no layer, named neither weight nor bias)
import torch
import torch.nn.functional as F


def sgd_step(model, lr):
    with torch.no_grad():
        for layer in model.modules():
            for name in ("weight", "bias"):
                p = getattr(layer, name, None)
                if p is not None and p.grad is not None:
                    p -= lr * p.grad
                    p.grad = None


def train_step(model, x, y, lr):
    loss = F.mse_loss(model(x), y)
    loss.backward()
    sgd_step(model, lr)
    return loss.item()
