# Prints 200 MB, then submits an honest model.
# status: passed
# fails: none
import sys

line = "x" * 999 + "\n"
for _ in range(200_000):
    sys.stdout.write(line)

import torch.nn.functional as F
from torch import nn


class MyModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, 20, 5)

    def forward(self, x):
        return F.relu(self.conv2(F.relu(self.conv1(x))))
