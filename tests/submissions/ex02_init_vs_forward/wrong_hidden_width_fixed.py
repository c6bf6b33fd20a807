# `hidden` read as "has a hidden layer" and the example's width 32 written in: right whenever the
# hidden width is 32, as in the example, wrong for any other.
# status: failed
# fails: hidden_parameter_count, hidden_output_values, hidden_gradients
# message: Build the layers from the constructor's arguments, not from the example's numbers
import torch.nn.functional as F
from torch import nn


class TwoLayerMLP(nn.Module):
    def __init__(self, in_features, hidden, out_features):
        super().__init__()
        self.fc1 = nn.Linear(in_features, 32)
        self.fc2 = nn.Linear(32, out_features)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))
