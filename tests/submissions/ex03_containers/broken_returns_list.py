# forward returns a list of the heads' outputs instead of a dict by task name.
# status: failed
# fails: output_shapes, output_values, gradients, learns, to_float64, hidden_output_values, hidden_gradients
# message: yours returned a list of 3 items; the reference returns a dict with one tensor per task
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
        return [head(x) for head in self.heads.values()]
