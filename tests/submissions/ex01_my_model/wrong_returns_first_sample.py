# forward loops over the batch but returns inside the loop: only the first image is computed.
# Right on the public example (a batch of one), wrong for larger batches.
# status: failed
# fails: output_values_hidden, gradients_hidden
# message: right on the public input only
import torch.nn.functional as F
from torch import nn


class MyModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, 20, 5)

    def forward(self, x):
        for image in x:
            y = F.relu(self.conv1(image.unsqueeze(0)))
            return F.relu(self.conv2(y))
