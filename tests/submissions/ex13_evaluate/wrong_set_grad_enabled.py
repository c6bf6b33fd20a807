# torch.set_grad_enabled(False) without switching it back: gradients stay off for the whole program.
# status: failed
# fails: grad_state_unchanged
# message: torch.is_grad_enabled() is False
import torch


def predict(model, x):
    was_training = model.training
    model.eval()
    torch.set_grad_enabled(False)
    try:
        return model(x)
    finally:
        model.train(was_training)
