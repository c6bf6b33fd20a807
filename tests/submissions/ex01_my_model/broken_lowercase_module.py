# The lecture's typo: nn.module (lower case) does not exist, so the file fails on import.
# status: error
# fails: all
# message: capital M
import torch.nn.functional as F
from torch import nn


class MyModel(nn.module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, 20, 5)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        return F.relu(self.conv2(x))
