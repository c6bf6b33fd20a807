# Copies the lecture's 3-channel example: conv1 takes 3 channels, and forward repeats the
# grayscale input three times to fit it.
# status: failed
# fails: conv1, parameter_count, output_values, gradients, output_values_hidden, gradients_hidden
# message: 3 input channels; the reference's has 1 input channels
# message: Your layers differ from the reference's
import torch.nn.functional as F
from torch import nn


class MyModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 20, 5)
        self.conv2 = nn.Conv2d(20, 20, 5)

    def forward(self, x):
        x = x.repeat(1, 3, 1, 1)
        x = F.relu(self.conv1(x))
        return F.relu(self.conv2(x))
