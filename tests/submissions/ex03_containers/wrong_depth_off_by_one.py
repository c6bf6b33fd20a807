# depth + 1 trunk layers: the first layer, then `depth` more of width -> width.
# status: failed
# fails: parameter_count, linear_layers, output_values, gradients, learns, to_float64, hidden_parameter_count, hidden_output_values, hidden_gradients
# message: Yours has 3 weight matrices of shape (16, 16); the reference has 2.
# message: yields 7 Linear layers
# message: The trunk has exactly depth Linear layers
import torch.nn.functional as F
from torch import nn


class MultiHeadNet(nn.Module):
    def __init__(self, in_features, width, depth, heads):
        super().__init__()
        self.trunk = nn.ModuleList([nn.Linear(in_features, width)])
        self.trunk.extend(nn.Linear(width, width) for _ in range(depth))
        self.heads = nn.ModuleDict({name: nn.Linear(width, n) for name, n in heads.items()})

    def forward(self, x):
        for layer in self.trunk:
            x = F.relu(layer(x))
        return {name: head(x) for name, head in self.heads.items()}
