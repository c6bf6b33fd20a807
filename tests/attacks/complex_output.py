# forward returns a complex64 tensor of the right shape: the checks that compare values fail,
# the structure of the model keeps its points.
# status: failed
# fails: output_values, gradients, output_values_hidden, gradients_hidden
# message: complex64
import torch
import torch.nn.functional as F
from torch import nn


class MyModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, 20, 5)

    def forward(self, x):
        return F.relu(self.conv2(F.relu(self.conv1(x)))).to(torch.complex64)
