# bias=False on both layers: 4 + 32 parameters short.
# status: failed
# fails: parameter_count, output_values, gradients, learns, hidden_parameter_count, hidden_output_values, hidden_gradients
# message: registers 384 parameters
# message: the reference registers 420
# message: Yours has no biases
import torch.nn.functional as F
from torch import nn


class TwoLayerMLP(nn.Module):
    def __init__(self, in_features, hidden, out_features):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden, bias=False)
        self.fc2 = nn.Linear(hidden, out_features, bias=False)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))
