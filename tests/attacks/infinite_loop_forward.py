# forward never returns.
# status: error
# fails: all
# message: Stopped after
# message: MyModel()(x)
import torch.nn.functional as F
from torch import nn


class MyModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, 20, 5)

    def forward(self, x):
        return F.relu(self.conv2(F.relu(self.conv1(x))))


_forward = MyModel.forward


def forward(self, x):
    while True:
        x = x + 0


MyModel.forward = forward
