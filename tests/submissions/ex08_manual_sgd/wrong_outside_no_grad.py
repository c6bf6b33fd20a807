# The in-place update runs while autograd records: PyTorch refuses to change a leaf that requires grad.
# status: failed
# fails: updates_parameters, stays_trainable, clears_gradients, second_step, skips_missing_gradients, train_losses, hidden_steps, hidden_training
# message: a leaf Variable that requires grad is being used in an in-place operation
# message: inside a `torch.no_grad()` block
import torch.nn.functional as F


def sgd_step(model, lr):
    for p in model.parameters():
        if p.grad is not None:
            p -= lr * p.grad
            p.grad = None


def train_step(model, x, y, lr):
    loss = F.mse_loss(model(x), y)
    loss.backward()
    sgd_step(model, lr)
    return loss.item()
