# Gives the mode back with `model.training = ...`: the model's own flag only, its submodules stay in evaluation mode.
# status: failed
# fails: mode_restored, mode_restored_on_error, nested_modes_restored
# message: but fc1, bn, drop, fc2 are in evaluation mode
# message: changes the model's own flag only
# message: the model raises: afterwards model.training is True, but fc1
# message: afterwards model.training is True, but its submodules are in evaluation mode
import torch


def predict(model, x):
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            return model(x)
    finally:
        model.training = was_training
