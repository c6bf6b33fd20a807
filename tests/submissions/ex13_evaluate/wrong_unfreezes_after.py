# no_grad() and, as the lecture suggests, requires_grad=False as well, undone at the end by making
# every parameter trainable: parameters that were frozen before the call come back unfrozen.
# status: failed
# fails: nested_flags_unchanged
# message: afterwards some parameters require grad; before the call they were frozen
# message: so it unfroze them
import torch


def predict(model, x):
    modes = [(module, module.training) for module in model.modules()]
    model.eval()
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    try:
        with torch.no_grad():
            return model(x)
    finally:
        for parameter in model.parameters():
            parameter.requires_grad_(True)
        for module, training in modes:
            module.training = training
