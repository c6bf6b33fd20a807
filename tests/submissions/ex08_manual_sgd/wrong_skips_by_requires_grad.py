# Parameters are skipped when they do not require grad, not when their .grad is None: right for a
# frozen layer, but a trainable parameter that took no part in the loss has no gradient either.
# status: failed
# fails: hidden_steps, hidden_training
# message: Something was None where your code expected a tensor
# message: `p -= lr * p.grad`
import torch
import torch.nn.functional as F


def sgd_step(model, lr):
    with torch.no_grad():
        for p in model.parameters():
            if not p.requires_grad:
                continue
            p -= lr * p.grad
            p.grad = None


def train_step(model, x, y, lr):
    loss = F.mse_loss(model(x), y)
    loss.backward()
    sgd_step(model, lr)
    return loss.item()
