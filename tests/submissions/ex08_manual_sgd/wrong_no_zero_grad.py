# The gradients are never cleared: every step adds the earlier batches' gradients to this one's.
# status: failed
# fails: clears_gradients, second_step, train_losses, hidden_steps, hidden_training
# message: still hold a gradient
# message: held the sum of the first and the second batch's gradients
import torch
import torch.nn.functional as F


def sgd_step(model, lr):
    with torch.no_grad():
        for p in model.parameters():
            if p.grad is not None:
                p -= lr * p.grad


def train_step(model, x, y, lr):
    loss = F.mse_loss(model(x), y)
    loss.backward()
    sgd_step(model, lr)
    return loss.item()
