# conv2 produces 10 channels instead of 20.
# status: failed
# fails: conv2, parameter_count, output_shape, output_values, gradients, output_values_hidden, gradients_hidden
# message: 10 output channels
# message: (1, 10, 20, 20)
import torch.nn.functional as F
from torch import nn


class MyModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, 10, 5)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        return F.relu(self.conv2(x))
