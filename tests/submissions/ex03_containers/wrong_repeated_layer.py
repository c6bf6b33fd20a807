# `[nn.Linear(width, width)] * (depth - 1)` repeats one layer: the hidden layers share their weights.
# status: failed
# fails: parameter_count, linear_layers, output_values, learns, to_float64, hidden_parameter_count, hidden_output_values
# message: Yours has 1 weight matrix of shape (16, 16); the reference has 2.
# message: that is k times the same layer
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
