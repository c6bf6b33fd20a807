# eval() and no_grad(), but the model is left in evaluation mode.
# status: failed
# fails: mode_restored, mode_restored_on_error, nested_modes_restored
# message: afterwards model.training is False; before the call it was True
# message: give each one back at the end
import torch


def predict(model, x):
    model.eval()
    with torch.no_grad():
        return model(x)
