# The trunk is an nn.ModuleList stored as self.modules: registered, but self.modules is the method, so forward fails.
# status: error
# fails: all
# message: 'method' object is not iterable
# message: Call it self.layers or self.trunk
import torch.nn.functional as F
from torch import nn


class MultiHeadNet(nn.Module):
    def __init__(self, in_features, width, depth, heads):
        super().__init__()
        self.modules = nn.ModuleList(nn.Linear(in_features if i == 0 else width, width) for i in range(depth))
        self.heads = nn.ModuleDict({name: nn.Linear(width, n) for name, n in heads.items()})

    def forward(self, x):
        for layer in self.modules:
            x = F.relu(layer(x))
        return {name: head(x) for name, head in self.heads.items()}
