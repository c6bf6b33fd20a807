# The model's own mode noted and given back with train(was_training): right when every module
# shares the model's mode, but a submodule that was in evaluation mode inside a training model
# comes back training.
# status: failed
# fails: nested_modes_restored
# message: afterwards every module of your model is in training mode; before the call some of them were in evaluation mode
# message: A module's train(mode) sets every module below it too
import torch


def predict(model, x):
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            return model(x)
    finally:
        model.train(was_training)
