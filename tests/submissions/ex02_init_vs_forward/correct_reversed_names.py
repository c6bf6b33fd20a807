# A different but correct solution: other names, the output layer created first, torch.relu.
# status: passed
# fails: none
import torch
from torch import nn


class TwoLayerMLP(nn.Module):
    def __init__(self, in_features, hidden, out_features):
        super().__init__()
        self.output_layer = nn.Linear(hidden, out_features)
        self.hidden_layer = nn.Linear(in_features, hidden)

    def forward(self, x):
        h = torch.relu(self.hidden_layer(x))
        return self.output_layer(h)
