# Every mode is given back after the forward pass, but not when the model raises.
# status: failed
# fails: mode_restored_on_error
# message: afterwards model.training is False
# message: when it raises, the lines after the forward pass never run
import torch


def predict(model, x):
    modes = [(module, module.training) for module in model.modules()]
    model.eval()
    with torch.no_grad():
        output = model(x)
    for module, training in modes:
        module.training = training
    return output
