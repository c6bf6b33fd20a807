# The loop computes every trunk layer but keeps each result in a new name, so the heads read the
# first layer's output: the later trunk layers take no part.
# status: failed
# fails: output_values, gradients, learns, to_float64, hidden_output_values, hidden_gradients
# message: your heads applied to what only the first 1 of your 3 trunk layers give
import torch.nn.functional as F
from torch import nn


class MultiHeadNet(nn.Module):
    def __init__(self, in_features, width, depth, heads):
        super().__init__()
        self.trunk = nn.ModuleList(nn.Linear(in_features if i == 0 else width, width) for i in range(depth))
        self.heads = nn.ModuleDict({name: nn.Linear(width, n) for name, n in heads.items()})

    def forward(self, x):
        features = F.relu(self.trunk[0](x))
        for layer in self.trunk[1:]:
            hidden = F.relu(layer(features))
        return {name: head(features) for name, head in self.heads.items()}
