# To get around the in-place error, requires_grad is switched off: the first step is right, then nothing learns.
# status: failed
# fails: stays_trainable, second_step, train_losses, hidden_steps, hidden_training
# message: parameter '0.weight' has requires_grad=False
# message: Do not switch requires_grad off
# message: element 0 of tensors does not require grad
import torch.nn.functional as F


def sgd_step(model, lr):
    for p in model.parameters():
        if p.grad is not None:
            p.requires_grad = False
            p -= lr * p.grad
            p.grad = None


def train_step(model, x, y, lr):
    loss = F.mse_loss(model(x), y)
    loss.backward()
    sgd_step(model, lr)
    return loss.item()
