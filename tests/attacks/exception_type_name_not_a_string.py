# Raises an exception whose class claims, through its metaclass, that its name is a number.
# status: error
# fails: all
# message: your code raised Sneaky
import torch.nn.functional as F
from torch import nn


class NamedByNumber(type):
    @property
    def __name__(cls):
        return 42

    @property
    def __module__(cls):
        return 42


class Sneaky(Exception, metaclass=NamedByNumber):
    pass


class MyModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, 20, 5)

    def forward(self, x):
        F.relu(self.conv2(F.relu(self.conv1(x))))
        raise Sneaky("forward gave up")
