# Layers built inside forward: new random weights on every call, nothing registered.
# status: failed
# fails: conv1, conv2, parameter_count, output_values, gradients, call_equals_forward, output_values_hidden, gradients_hidden
# message: Your model has no conv1
# message: 0 parameters
# message: forward builds its layers, with new random weights, every time it runs
import torch.nn.functional as F
from torch import nn


class MyModel(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, x):
        conv1 = nn.Conv2d(1, 20, 5)
        conv2 = nn.Conv2d(20, 20, 5)
        x = F.relu(conv1(x))
        return F.relu(conv2(x))
