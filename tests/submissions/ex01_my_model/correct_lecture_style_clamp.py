# A different but correct solution in the lecture's style: super(MyModel, self).__init__(),
# and ReLU written as clamp(min=0).
# status: passed
# fails: none
import torch.nn as nn


class MyModel(nn.Module):
    def __init__(self):
        super(MyModel, self).__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, 20, 5)

    def forward(self, x):
        x = self.conv1(x).clamp(min=0)
        return self.conv2(x).clamp(min=0)
