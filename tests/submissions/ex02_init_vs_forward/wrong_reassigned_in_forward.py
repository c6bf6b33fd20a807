# The layers are made in __init__, but forward makes them again (self.fc1 = nn.Linear(...)), replacing the trained ones.
# status: failed
# fails: output_values, gradients, same_output_twice, learns, hidden_output_values, hidden_gradients
# message: your model's parameters are other tensors than before it
# message: your two results differ
# message: no gradient reached `(32, 8)`
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
