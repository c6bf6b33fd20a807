# Unbounded recursion in forward with the recursion limit lifted.
# status: error
# fails: all
# message: Crashed
import sys

sys.setrecursionlimit(10**8)

import torch.nn.functional as F
from torch import nn


class MyModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, 20, 5)

    def forward(self, x):
        return F.relu(self.conv2(F.relu(self.conv1(x))))

    def __call__(self, x, depth=0):
        return self(x, depth + 1)
