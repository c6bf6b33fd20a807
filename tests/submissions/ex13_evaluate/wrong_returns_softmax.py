# "predict" read as probabilities: the softmax of the model's output instead of the output itself.
# status: failed
# fails: output_values, caller_no_grad, output_hidden
# message: your predict returned its softmax
import torch


def predict(model, x):
    modes = [(module, module.training) for module in model.modules()]
    model.eval()
    try:
        with torch.no_grad():
            return torch.softmax(model(x), dim=1)
    finally:
        for module, training in modes:
            module.training = training
