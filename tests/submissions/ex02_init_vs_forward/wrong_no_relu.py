# No ReLU between the layers: two Linear layers in a row are just one linear map.
# status: failed
# fails: output_values, learns, hidden_output_values
# message: Apply the ReLU between the two layers
from torch import nn


class TwoLayerMLP(nn.Module):
    def __init__(self, in_features, hidden, out_features):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.fc2 = nn.Linear(hidden, out_features)

    def forward(self, x):
        return self.fc2(self.fc1(x))
