# squeeze() "to drop extra dimensions": harmless for the example's (5, 4), but with a single output or
# a single sample it drops dimensions the result must keep.
# status: failed
# fails: hidden_output_values, hidden_gradients
# message: a single output, on a hidden batch of one sample: the values cannot match because your output has a different shape
# message: returned a tensor with no dimensions
import torch.nn.functional as F
from torch import nn


class TwoLayerMLP(nn.Module):
    def __init__(self, in_features, hidden, out_features):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.fc2 = nn.Linear(hidden, out_features)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x))).squeeze()
