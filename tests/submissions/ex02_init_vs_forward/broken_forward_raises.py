# forward passes the input to the second layer: a shape error on the main call.
# status: error
# fails: all
# message: mat1 and mat2 shapes cannot be multiplied
# message: line 18 of your file
import torch.nn.functional as F
from torch import nn


class TwoLayerMLP(nn.Module):
    def __init__(self, in_features, hidden, out_features):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.fc2 = nn.Linear(hidden, out_features)

    def forward(self, x):
        h = F.relu(self.fc1(x))
        return self.fc2(x)
