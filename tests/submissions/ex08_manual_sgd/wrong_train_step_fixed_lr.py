# train_step passes a learning rate of its own to sgd_step instead of the one it is given: right
# whenever the caller's lr happens to be 0.1.
# status: failed
# fails: hidden_training
# message: by another multiple of it than the learning rate given
# message: with the lr train_step was given
import torch
import torch.nn.functional as F

LEARNING_RATE = 0.1


def sgd_step(model, lr):
    with torch.no_grad():
        for p in model.parameters():
            if p.grad is not None:
                p.sub_(lr * p.grad)
                p.grad = None


def train_step(model, x, y, lr):
    loss = F.mse_loss(model(x), y)
    loss.backward()
    sgd_step(model, LEARNING_RATE)
    return loss.item()
