# train_step reports the loss of the updated model ("the loss now"), not the loss it stepped with.
# status: failed
# fails: train_losses, hidden_training
# message: the first loss you returned is the loss of the model after its step
import torch
import torch.nn.functional as F


def sgd_step(model, lr):
    with torch.no_grad():
        for p in model.parameters():
            if p.grad is not None:
                p -= lr * p.grad
                p.grad = None


def train_step(model, x, y, lr):
    F.mse_loss(model(x), y).backward()
    sgd_step(model, lr)
    with torch.no_grad():
        return F.mse_loss(model(x), y).item()
