# The heads built as Linear(16, n), the example's width, instead of Linear(width, n).
# status: failed
# fails: hidden_parameter_count, hidden_output_values, hidden_gradients
# message: Your parameters are right for the example, not here
import torch.nn.functional as F
from torch import nn


class MultiHeadNet(nn.Module):
    def __init__(self, in_features, width, depth, heads):
        super().__init__()
        self.trunk = nn.ModuleList([nn.Linear(in_features, width)])
        self.trunk.extend(nn.Linear(width, width) for _ in range(depth - 1))
        self.heads = nn.ModuleDict({name: nn.Linear(16, n) for name, n in heads.items()})

    def forward(self, x):
        for layer in self.trunk:
            x = F.relu(layer(x))
        return {name: head(x) for name, head in self.heads.items()}
