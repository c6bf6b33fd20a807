# The example's sizes written into __init__ instead of the constructor's arguments: right for (8, 32, 4) only.
# status: failed
# fails: hidden_parameter_count, hidden_output_values, hidden_gradients
# message: your model's parameters have other shapes than the reference's
# message: not from the example's numbers
# message: in_features must equal the size of the last dimension
import torch.nn.functional as F
from torch import nn


class TwoLayerMLP(nn.Module):
    def __init__(self, in_features, hidden, out_features):
        super().__init__()
        self.fc1 = nn.Linear(8, 32)
        self.fc2 = nn.Linear(32, 4)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))
