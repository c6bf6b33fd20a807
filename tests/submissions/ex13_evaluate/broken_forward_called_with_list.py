# predict wraps x in a list: the model raises, nothing can be observed.
# status: failed
# fails: all
# message: While running `predict(model, x)`, your code raised TypeError
import torch


def predict(model, x):
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            return model([x])
    finally:
        model.train(was_training)
