# forward uses a layer that __init__ never made.
# status: error
# fails: all
# message: AttributeError
# message: conv3
# message: line 19 of your file
import torch.nn.functional as F
from torch import nn


class MyModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, 20, 5)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        return F.relu(self.conv3(x))
