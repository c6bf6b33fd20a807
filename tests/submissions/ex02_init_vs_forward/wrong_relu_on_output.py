# A ReLU after the last layer too: outputs can never be negative.
# status: failed
# fails: output_values, gradients, learns, hidden_output_values, hidden_gradients
# message: your two layers with a ReLU after the second one too
import torch.nn.functional as F
from torch import nn


class TwoLayerMLP(nn.Module):
    def __init__(self, in_features, hidden, out_features):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.fc2 = nn.Linear(hidden, out_features)

    def forward(self, x):
        return F.relu(self.fc2(F.relu(self.fc1(x))))
