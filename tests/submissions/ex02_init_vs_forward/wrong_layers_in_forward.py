# nn.Linear created inside forward: new random weights on every call, no parameters, cannot learn.
# status: failed
# fails: parameter_count, output_values, gradients, same_output_twice, learns, hidden_parameter_count, hidden_output_values, hidden_gradients
# message: registers 0 parameters (none)
# message: the layers forward uses are not registered
# message: your two results differ
# message: optimizer got an empty parameter list
import torch.nn.functional as F
from torch import nn


class TwoLayerMLP(nn.Module):
    def __init__(self, in_features, hidden, out_features):
        super().__init__()
        self.in_features = in_features
        self.hidden = hidden
        self.out_features = out_features

    def forward(self, x):
        fc1 = nn.Linear(self.in_features, self.hidden)
        fc2 = nn.Linear(self.hidden, self.out_features)
        return fc2(F.relu(fc1(x)))
