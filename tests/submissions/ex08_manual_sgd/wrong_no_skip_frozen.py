# Every parameter is updated, including frozen ones whose .grad is None.
# status: failed
# fails: skips_missing_gradients, hidden_steps, hidden_training
# message: skip such parameters
import torch
import torch.nn.functional as F


def sgd_step(model, lr):
    with torch.no_grad():
        for p in model.parameters():
            p -= lr * p.grad
            p.grad = None


def train_step(model, x, y, lr):
    loss = F.mse_loss(model(x), y)
    loss.backward()
    sgd_step(model, lr)
    return loss.item()
