# No ReLU between the layers: two Linear layers in a row are just one linear map.
# status: failed
# fails: output_values, gradients, learns, hidden_output_values, hidden_gradients
# message: your two layers without a ReLU between them
from torch import nn


class TwoLayerMLP(nn.Module):
    def __init__(self, in_features, hidden, out_features):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.fc2 = nn.Linear(hidden, out_features)

    def forward(self, x):
        return self.fc2(self.fc1(x))
