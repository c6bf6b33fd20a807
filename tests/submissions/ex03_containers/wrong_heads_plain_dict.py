# The trunk is an nn.ModuleList, but the heads are in a plain dict: an optimizer trains the trunk only.
# status: failed
# fails: parameter_count, linear_layers, output_values, gradients, learns, to_float64, hidden_parameter_count, hidden_output_values, hidden_gradients
# message: Exactly the trunk's parameters are registered, none of the heads'
# message: Use nn.ModuleDict
# message: yields 3 Linear layers
import torch.nn.functional as F
from torch import nn


class MultiHeadNet(nn.Module):
    def __init__(self, in_features, width, depth, heads):
        super().__init__()
        self.trunk = nn.ModuleList([nn.Linear(in_features, width)])
        for _ in range(depth - 1):
            self.trunk.append(nn.Linear(width, width))
        self.heads = {name: nn.Linear(width, n) for name, n in heads.items()}

    def forward(self, x):
        for layer in self.trunk:
            x = F.relu(layer(x))
        return {name: head(x) for name, head in self.heads.items()}
