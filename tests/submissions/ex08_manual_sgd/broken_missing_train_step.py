# train_step is misnamed: nothing can be graded.
# status: error
# fails: all
# message: Your file defines no `train_step`. It defines: sgd_step, trainstep.
import torch
import torch.nn.functional as F


def sgd_step(model, lr):
    with torch.no_grad():
        for p in model.parameters():
            if p.grad is not None:
                p -= lr * p.grad
                p.grad = None


def trainstep(model, x, y, lr):
    loss = F.mse_loss(model(x), y)
    loss.backward()
    sgd_step(model, lr)
    return loss.item()
