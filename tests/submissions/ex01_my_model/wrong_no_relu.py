# No ReLU at all: the layers are right, the values are not.
# status: failed
# fails: output_values, gradients, output_values_hidden, gradients_hidden
# message: both ReLUs are missing
from torch import nn


class MyModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, 20, 5)

    def forward(self, x):
        return self.conv2(self.conv1(x))
