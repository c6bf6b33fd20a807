# The step goes along the gradient (p + lr * grad) instead of against it.
# status: failed
# fails: updates_parameters, second_step, train_losses, hidden_steps, hidden_training
# message: moved along the gradient instead of against it
import torch
import torch.nn.functional as F


def sgd_step(model, lr):
    with torch.no_grad():
        for p in model.parameters():
            if p.grad is not None:
                p += lr * p.grad
                p.grad = None


def train_step(model, x, y, lr):
    loss = F.mse_loss(model(x), y)
    loss.backward()
    sgd_step(model, lr)
    return loss.item()
