# The MNIST habit: forward views every input as 28x28 images. Right on the public example,
# wrong (or an error) for images of any other size.
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
        x = x.view(-1, 1, 28, 28)
        x = F.relu(self.conv1(x))
        return F.relu(self.conv2(x))
