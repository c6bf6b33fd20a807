# forward returns (output, hidden activations) instead of the output alone.
# status: failed
# fails: output_shape, output_values, gradients, same_output_twice, learns, hidden_output_values, hidden_gradients
# message: yours returned a tuple of 2 items
# message: not a tensor
import torch.nn.functional as F
from torch import nn


class TwoLayerMLP(nn.Module):
    def __init__(self, in_features, hidden, out_features):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.fc2 = nn.Linear(hidden, out_features)

    def forward(self, x):
        h = F.relu(self.fc1(x))
        return self.fc2(h), h
