# The step goes along the gradient (p + lr * grad) instead of against it.
# status: failed
# fails: updates_parameters, second_step, skips_missing_gradients, train_losses, hidden_steps, hidden_training
# message: moved along their gradient
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
