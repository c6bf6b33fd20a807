# `p = p - lr * p.grad` rebinds the loop variable: the model's parameters never change.
# status: failed
# fails: updates_parameters, second_step, skips_missing_gradients, train_losses, hidden_steps, hidden_training
# message: did not change at all
# message: rebinds p
# message: your first step already differs
import torch
import torch.nn.functional as F


def sgd_step(model, lr):
    with torch.no_grad():
        for p in model.parameters():
            if p.grad is None:
                continue
            p = p - lr * p.grad
    model.zero_grad()


def train_step(model, x, y, lr):
    loss = F.mse_loss(model(x), y)
    loss.backward()
    sgd_step(model, lr)
    return loss.item()
