# A different but correct solution: the layers built in a loop over the sizes, kept in an
# nn.ModuleList, and a ReLU applied between them by position.
# status: passed
# fails: none
from itertools import pairwise

import torch
from torch import nn


class TwoLayerMLP(nn.Module):
    def __init__(self, in_features, hidden, out_features):
        super().__init__()
        sizes = [in_features, hidden, out_features]
        self.layers = nn.ModuleList([nn.Linear(a, b) for a, b in pairwise(sizes)])

    def forward(self, x):
        for position, layer in enumerate(self.layers):
            if position > 0:
                x = torch.relu(x)
            x = layer(x)
        return x
