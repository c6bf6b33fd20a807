# A different but correct solution: torch.inference_mode, and every submodule's own mode remembered and restored.
# status: passed
# fails: none
import torch


def predict(model, x):
    modes = [(module, module.training) for module in model.modules()]
    model.eval()
    try:
        with torch.inference_mode():
            return model(x)
    finally:
        for module, training in modes:
            module.training = training
