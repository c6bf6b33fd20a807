# `[nn.Linear(width, width)] * (depth - 1)` repeats one layer: the hidden layers share their weights.
# status: failed
# fails: parameter_count, linear_layers, output_values, gradients, learns, to_float64, hidden_parameter_count, hidden_output_values, hidden_gradients
# message: yields 5 Linear layers
# message: one and the same object, registered under several names (`trunk.2 = trunk.1`)
# message: `[layer] * k` repeats one layer k times
import torch.nn.functional as F
from torch import nn


class MultiHeadNet(nn.Module):
    def __init__(self, in_features, width, depth, heads):
        super().__init__()
        self.trunk = nn.ModuleList([nn.Linear(in_features, width)] + [nn.Linear(width, width)] * (depth - 1))
        self.heads = nn.ModuleDict({name: nn.Linear(width, n) for name, n in heads.items()})

    def forward(self, x):
        for layer in self.trunk:
            x = F.relu(layer(x))
        return {name: head(x) for name, head in self.heads.items()}
