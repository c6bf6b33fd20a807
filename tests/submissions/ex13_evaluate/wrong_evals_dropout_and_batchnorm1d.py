# Only the layer types of the assignment's example (Dropout, BatchNorm1d) are switched to evaluation
# mode: a model with 2-D batch norm and dropout is still run in training mode.
# status: failed
# fails: output_hidden
# message: Your predict ran the model in training mode
import torch
from torch import nn

MODE_DEPENDENT = (nn.Dropout, nn.BatchNorm1d)


def predict(model, x):
    switched = [m for m in model.modules() if isinstance(m, MODE_DEPENDENT) and m.training]
    for module in switched:
        module.eval()
    try:
        with torch.no_grad():
            return model(x)
    finally:
        for module in switched:
            module.train()
