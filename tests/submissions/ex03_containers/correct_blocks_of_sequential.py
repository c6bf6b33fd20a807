# A different but correct solution: the trunk as an nn.ModuleList of nn.Sequential(Linear, ReLU)
# blocks, the heads added to an empty nn.ModuleDict with update().
# status: passed
# fails: none
from torch import nn


class MultiHeadNet(nn.Module):
    def __init__(self, in_features, width, depth, heads):
        super().__init__()
        self.blocks = nn.ModuleList()
        size = in_features
        for _ in range(depth):
            self.blocks.append(nn.Sequential(nn.Linear(size, width), nn.ReLU()))
            size = width
        self.outputs = nn.ModuleDict()
        self.outputs.update({task: nn.Linear(width, n) for task, n in heads.items()})

    def forward(self, x):
        h = x
        for block in self.blocks:
            h = block(h)
        result = {}
        for task in self.outputs:
            result[task] = self.outputs[task](h)
        return result
