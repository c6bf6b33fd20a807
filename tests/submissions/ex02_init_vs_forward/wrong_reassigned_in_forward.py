# The layers are made in __init__, but forward makes them again (self.fc1 = nn.Linear(...)), replacing the trained ones.
# status: failed
# fails: output_values, same_output_twice, learns, hidden_output_values
# message: different result every time it runs on the same input
# message: your two results differ
import torch.nn.functional as F
from torch import nn


class TwoLayerMLP(nn.Module):
    def __init__(self, in_features, hidden, out_features):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.fc2 = nn.Linear(hidden, out_features)

    def forward(self, x):
        self.fc1 = nn.Linear(self.fc1.in_features, self.fc1.out_features)
        self.fc2 = nn.Linear(self.fc2.in_features, self.fc2.out_features)
        return self.fc2(F.relu(self.fc1(x)))
