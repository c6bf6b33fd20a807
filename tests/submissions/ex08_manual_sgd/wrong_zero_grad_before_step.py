# train_step clears the gradients right after backward() ("always zero_grad"), so sgd_step finds
# nothing to step with.
# status: failed
# fails: train_losses, hidden_training
# message: did not change at all
# message: Your sgd_step takes this step right when it is called on its own
import torch
import torch.nn.functional as F


def sgd_step(model, lr):
    with torch.no_grad():
        for p in model.parameters():
            if p.grad is not None:
                p -= lr * p.grad
                p.grad = None


def train_step(model, x, y, lr):
    loss = F.mse_loss(model(x), y)
    loss.backward()
    model.zero_grad()
    sgd_step(model, lr)
    return loss.item()
