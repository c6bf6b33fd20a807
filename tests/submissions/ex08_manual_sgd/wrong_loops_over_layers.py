# The model is looped over as if it were always an nn.Sequential, as the public example is.
# status: failed
# fails: hidden_steps, hidden_training
# message: `for layer in model:`
# message: Only containers such as nn.Sequential can be looped over directly
import torch
import torch.nn.functional as F


def sgd_step(model, lr):
    with torch.no_grad():
        for layer in model:
            for p in layer.parameters():
                if p.grad is not None:
                    p -= lr * p.grad
                    p.grad = None


def train_step(model, x, y, lr):
    loss = F.mse_loss(model(x), y)
    loss.backward()
    sgd_step(model, lr)
    return loss.item()
