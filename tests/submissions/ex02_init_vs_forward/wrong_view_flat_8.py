# The MNIST habit of flattening the input first, with the example's 8 features written in:
# right when in_features is 8, an error for any other.
# status: failed
# fails: hidden_output_values, hidden_gradients
# message: line 17 of your file: `x = x.view(-1, 8)`
import torch.nn.functional as F
from torch import nn


class TwoLayerMLP(nn.Module):
    def __init__(self, in_features, hidden, out_features):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.fc2 = nn.Linear(hidden, out_features)

    def forward(self, x):
        x = x.view(-1, 8)
        return self.fc2(F.relu(self.fc1(x)))
