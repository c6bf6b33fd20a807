# forward detaches its result "to return plain numbers": the values are right, but no gradient
# can flow back to the weights, so the model could never be trained.
# status: failed
# fails: gradients, gradients_hidden
# message: your output does not require grad
# message: `.detach()`
import torch.nn.functional as F
from torch import nn


class MyModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, 20, 5)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        return F.relu(self.conv2(x)).detach()
