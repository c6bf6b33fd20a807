# eval() and no_grad(), but the model is left in evaluation mode.
# status: failed
# fails: mode_restored, mode_restored_on_error
# message: afterwards model.training is False; the reference leaves it in training mode
# message: model.train(was_training)
import torch


def predict(model, x):
    model.eval()
    with torch.no_grad():
        return model(x)
