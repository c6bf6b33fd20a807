# A different but correct solution: no containers at all, every layer registered with add_module and found by
# name; the heads created before the trunk.
# status: passed
# fails: none
import torch
from torch import nn


class MultiHeadNet(nn.Module):
    def __init__(self, in_features, width, depth, heads):
        super().__init__()
        self.task_names = list(heads)
        for name, outputs in heads.items():
            self.add_module(f"head_{name}", nn.Linear(width, outputs))
        self.depth = depth
        for i in range(depth):
            self.add_module(f"hidden{i}", nn.Linear(in_features if i == 0 else width, width))

    def forward(self, x):
        for i in range(self.depth):
            x = torch.relu(getattr(self, f"hidden{i}")(x))
        outputs = {}
        for name in reversed(self.task_names):
            outputs[name] = getattr(self, f"head_{name}")(x)
        return outputs
