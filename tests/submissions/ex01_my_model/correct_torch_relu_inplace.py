# A different but correct solution: torch.relu and Tensor.relu_, with a print for debugging.
# status: passed
# fails: none
import torch
from torch import nn


class MyModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, 20, 5)

    def forward(self, x):
        print("input", tuple(x.shape))
        x = torch.relu(self.conv1(x))
        return self.conv2(x).relu_()
