# A sigmoid between the layers where the assignment asks for a ReLU.
# status: failed
# fails: output_values, gradients, learns, hidden_output_values, hidden_gradients
# message: your two layers with a sigmoid between them instead of a ReLU
import torch
from torch import nn


class TwoLayerMLP(nn.Module):
    def __init__(self, in_features, hidden, out_features):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.fc2 = nn.Linear(hidden, out_features)

    def forward(self, x):
        return self.fc2(torch.sigmoid(self.fc1(x)))
