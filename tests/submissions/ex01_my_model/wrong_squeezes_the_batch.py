# forward squeezes the batch dimension away and adds it back at the end, "so that single images
# work too": right for a batch of one, a 5-D result for larger batches.
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
        x = x.squeeze(0)
        x = F.relu(self.conv1(x))
        return F.relu(self.conv2(x)).unsqueeze(0)
