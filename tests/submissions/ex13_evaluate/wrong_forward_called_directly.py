# model.forward(x) instead of model(x): the same on a model without hooks, but the hooks never run.
# status: failed
# fails: hooks_run, output_hidden
# message: your predict ran the model's forward, but the model's forward hook did not run
# message: model.forward(x) skips the hooks
import torch


def predict(model, x):
    modes = [(module, module.training) for module in model.modules()]
    model.eval()
    try:
        with torch.no_grad():
            return model.forward(x)
    finally:
        for module, training in modes:
            module.training = training
