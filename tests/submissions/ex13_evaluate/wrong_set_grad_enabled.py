# torch.set_grad_enabled(False) without switching it back: gradients stay off for the whole program.
# status: failed
# fails: grad_state_unchanged, mode_restored_on_error
# message: afterwards torch.is_grad_enabled() is False; before the call it was True
# message: switched gradients for the whole program
import torch


def predict(model, x):
    modes = [(module, module.training) for module in model.modules()]
    model.eval()
    torch.set_grad_enabled(False)
    try:
        return model(x)
    finally:
        for module, training in modes:
            module.training = training
