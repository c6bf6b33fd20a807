# A sigmoid where the assignment asks for ReLU.
# status: failed
# fails: output_values, gradients, output_values_hidden, gradients_hidden
# message: Your layers are the reference's, so the difference comes from forward
import torch
from torch import nn


class MyModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, 20, 5)

    def forward(self, x):
        x = torch.sigmoid(self.conv1(x))
        return torch.sigmoid(self.conv2(x))
