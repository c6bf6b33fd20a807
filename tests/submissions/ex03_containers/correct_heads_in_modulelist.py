# A different but correct solution: the heads in an nn.ModuleList beside a list of their names, the
# trunk one nn.Sequential built with *, and in-place ReLUs.
# status: passed
# fails: none
from torch import nn


class MultiHeadNet(nn.Module):
    def __init__(self, in_features, width, depth, heads):
        super().__init__()
        sizes = [in_features] + [width] * depth
        self.trunk = nn.Sequential(
            *[module for a, b in zip(sizes, sizes[1:]) for module in (nn.Linear(a, b), nn.ReLU(inplace=True))]
        )
        self.names = list(heads)
        self.heads = nn.ModuleList(nn.Linear(width, heads[name]) for name in self.names)

    def forward(self, x):
        shared = self.trunk(x)
        return dict(zip(self.names, (head(shared) for head in self.heads)))
