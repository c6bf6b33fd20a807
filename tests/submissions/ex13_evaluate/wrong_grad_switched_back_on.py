# Gradients switched off by hand and switched on again at the end, whatever they were: right for a
# caller with gradients enabled, wrong for one inside its own torch.no_grad() block.
# status: failed
# fails: caller_no_grad
# message: torch.is_grad_enabled() was True inside the caller's block
# message: switched gradients on as it finished
import torch


def predict(model, x):
    modes = [(module, module.training) for module in model.modules()]
    model.eval()
    torch.set_grad_enabled(False)
    try:
        return model(x)
    finally:
        torch.set_grad_enabled(True)
        for module, training in modes:
            module.training = training
