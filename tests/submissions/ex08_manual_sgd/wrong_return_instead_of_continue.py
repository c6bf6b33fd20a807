# "Skip parameters whose p.grad is None" written as a return: the loop ends at the first frozen
# parameter, and the layers after it never learn.
# status: failed
# fails: skips_missing_gradients, hidden_steps, hidden_training
# message: updated the parameters that come before the first one whose .grad is None, and none after it
# message: must not end the loop
import torch
import torch.nn.functional as F


def sgd_step(model, lr):
    with torch.no_grad():
        for p in model.parameters():
            if p.grad is None:
                return
            p -= lr * p.grad
            p.grad = None


def train_step(model, x, y, lr):
    loss = F.mse_loss(model(x), y)
    loss.backward()
    sgd_step(model, lr)
    return loss.item()
