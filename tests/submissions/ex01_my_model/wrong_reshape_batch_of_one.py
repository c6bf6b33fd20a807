# forward "makes sure the input is 4-D" by reshaping it to a batch of one: right on the public
# example (one image), wrong for any batch of several images.
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
        x = x.reshape(1, 1, x.shape[-2], x.shape[-1])
        x = F.relu(self.conv1(x))
        return F.relu(self.conv2(x))
