# The example's three trunk layers written out by hand: depth is ignored, right for depth 3 only.
# status: failed
# fails: hidden_parameter_count, hidden_output_values, hidden_gradients
# message: depth layers in the trunk (depth may be 1)
import torch.nn.functional as F
from torch import nn


class MultiHeadNet(nn.Module):
    def __init__(self, in_features, width, depth, heads):
        super().__init__()
        self.trunk = nn.ModuleList([nn.Linear(in_features, width), nn.Linear(width, width), nn.Linear(width, width)])
        self.heads = nn.ModuleDict({name: nn.Linear(width, n) for name, n in heads.items()})

    def forward(self, x):
        for layer in self.trunk:
            x = F.relu(layer(x))
        return {name: head(x) for name, head in self.heads.items()}
