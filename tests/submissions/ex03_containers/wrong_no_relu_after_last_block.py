# The trunk built as "Linear, ReLU, Linear, ReLU, Linear", the pattern of a whole network, which
# leaves the last trunk layer without its ReLU.
# status: failed
# fails: output_values, gradients, learns, to_float64, hidden_output_values, hidden_gradients
# message: your layers without the ReLU after the last trunk layer
from torch import nn


class MultiHeadNet(nn.Module):
    def __init__(self, in_features, width, depth, heads):
        super().__init__()
        layers = []
        for i in range(depth):
            if i > 0:
                layers.append(nn.ReLU())
            layers.append(nn.Linear(in_features if i == 0 else width, width))
        self.trunk = nn.Sequential(*layers)
        self.heads = nn.ModuleDict({name: nn.Linear(width, n) for name, n in heads.items()})

    def forward(self, x):
        features = self.trunk(x)
        return {name: head(features) for name, head in self.heads.items()}
