# A different but correct solution: an nn.ReLU(inplace=True) module stored beside the layers,
# other names, and forward written one step per line.
# status: passed
# fails: none
from torch import nn


class TwoLayerMLP(nn.Module):
    def __init__(self, in_features, hidden, out_features):
        super().__init__()
        self.encoder = nn.Linear(in_features, hidden)
        self.activation = nn.ReLU(inplace=True)
        self.decoder = nn.Linear(hidden, out_features)

    def forward(self, inputs):
        features = self.encoder(inputs)
        features = self.activation(features)
        return self.decoder(features)
