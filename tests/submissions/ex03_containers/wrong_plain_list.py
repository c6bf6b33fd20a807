# Trunk in a plain Python list and heads in a plain dict: the layers compute, but nothing is registered.
# status: failed
# fails: parameter_count, linear_layers, output_values, gradients, learns, to_float64, hidden_parameter_count, hidden_output_values, hidden_gradients
# message: registers 0 parameters (none)
# message: optimizer got an empty parameter list
# message: are not registered, so .to(), .double() and .cuda() skip them
import torch.nn.functional as F
from torch import nn


class MultiHeadNet(nn.Module):
    def __init__(self, in_features, width, depth, heads):
        super().__init__()
        self.layers = [nn.Linear(in_features if i == 0 else width, width) for i in range(depth)]
        self.heads = {name: nn.Linear(width, n) for name, n in heads.items()}

    def forward(self, x):
        for layer in self.layers:
            x = F.relu(layer(x))
        return {name: head(x) for name, head in self.heads.items()}
