# A ReLU after each head as well: the outputs can never be negative.
# status: failed
# fails: output_values, gradients, learns, to_float64, hidden_output_values, hidden_gradients
# message: your layers with a ReLU after every head too
import torch.nn.functional as F
from torch import nn


class MultiHeadNet(nn.Module):
    def __init__(self, in_features, width, depth, heads):
        super().__init__()
        self.trunk = nn.ModuleList(nn.Linear(in_features if i == 0 else width, width) for i in range(depth))
        self.heads = nn.ModuleDict({name: nn.Linear(width, n) for name, n in heads.items()})

    def forward(self, x):
        for layer in self.trunk:
            x = F.relu(layer(x))
        return {name: F.relu(head(x)) for name, head in self.heads.items()}
