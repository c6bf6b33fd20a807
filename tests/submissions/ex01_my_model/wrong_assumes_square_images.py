# forward assumes square images: right on the public input (28x28), wrong on images that are not square.
# status: failed
# fails: output_values_hidden, gradients_hidden
# message: does not depend on the public input
import torch.nn.functional as F
from torch import nn


class MyModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, 20, 5)

    def forward(self, x):
        side = x.shape[-1]
        x = x.reshape(x.shape[0], 1, side, side)
        x = F.relu(self.conv1(x))
        return F.relu(self.conv2(x))
