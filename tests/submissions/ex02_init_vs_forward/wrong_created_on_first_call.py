# Layers created lazily on the first call of forward: the fresh model has no parameters, so an optimizer
# built before the first call gets none, and the weights loaded before that call are lost.
# status: failed
# fails: parameter_count, output_values, gradients, hidden_parameter_count, hidden_output_values, hidden_gradients
# message: registers 0 parameters (none)
# message: the reference's weights could not be loaded into it
import torch.nn.functional as F
from torch import nn


class TwoLayerMLP(nn.Module):
    def __init__(self, in_features, hidden, out_features):
        super().__init__()
        self.sizes = (in_features, hidden, out_features)
        self.fc1 = None
        self.fc2 = None

    def forward(self, x):
        if self.fc1 is None:
            self.fc1 = nn.Linear(self.sizes[0], self.sizes[1])
            self.fc2 = nn.Linear(self.sizes[1], self.sizes[2])
        return self.fc2(F.relu(self.fc1(x)))
