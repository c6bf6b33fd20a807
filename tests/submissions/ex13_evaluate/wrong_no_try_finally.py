# The mode is restored after the forward pass, but not when the model raises.
# status: failed
# fails: mode_restored_on_error
# message: Put the forward pass in `try:`
import torch


def predict(model, x):
    was_training = model.training
    model.eval()
    with torch.no_grad():
        output = model(x)
    model.train(was_training)
    return output
