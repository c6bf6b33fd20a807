# The classifier habit: a softmax after the last layer, which the assignment says has no activation.
# status: failed
# fails: output_values, gradients, learns, hidden_output_values, hidden_gradients
# message: your two layers with a softmax over the outputs after the second one
import torch.nn.functional as F
from torch import nn


class TwoLayerMLP(nn.Module):
    def __init__(self, in_features, hidden, out_features):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.fc2 = nn.Linear(hidden, out_features)

    def forward(self, x):
        logits = self.fc2(F.relu(self.fc1(x)))
        return F.softmax(logits, dim=1)
