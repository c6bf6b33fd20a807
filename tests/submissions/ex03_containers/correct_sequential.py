# A different but correct solution: an nn.Sequential trunk with nn.ReLU modules, heads in an nn.ModuleDict.
# status: passed
# fails: none
from torch import nn


class MultiHeadNet(nn.Module):
    def __init__(self, in_features, width, depth, heads):
        super().__init__()
        layers = [nn.Linear(in_features, width), nn.ReLU()]
        for _ in range(depth - 1):
            layers += [nn.Linear(width, width), nn.ReLU()]
        self.body = nn.Sequential(*layers)
        self.task_heads = nn.ModuleDict()
        for name, outputs in heads.items():
            self.task_heads[name] = nn.Linear(width, outputs)

    def forward(self, x):
        features = self.body(x)
        return {name: self.task_heads[name](features) for name in self.task_heads}
