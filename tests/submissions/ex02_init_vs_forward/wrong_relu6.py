# nn.ReLU6 taken for "any ReLU": it also caps values at 6, which the example's inputs never reach
# but larger ones do.
# status: failed
# fails: hidden_output_values, hidden_gradients
# message: on a hidden batch of values far larger than the public ones: your values differ from the reference's
# message: so forward depends on something of the example that this case changes
from torch import nn


class TwoLayerMLP(nn.Module):
    def __init__(self, in_features, hidden, out_features):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(in_features, hidden), nn.ReLU6(), nn.Linear(hidden, out_features))

    def forward(self, x):
        return self.layers(x)
