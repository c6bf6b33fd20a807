# The example's three tasks written into __init__: right for color, shape and size, a KeyError for
# any other task.
# status: failed
# fails: hidden_parameter_count, hidden_output_values, hidden_gradients
# message: line 16 of your file: `"color": nn.Linear(width, heads["color"]),`
import torch.nn.functional as F
from torch import nn


class MultiHeadNet(nn.Module):
    def __init__(self, in_features, width, depth, heads):
        super().__init__()
        self.trunk = nn.ModuleList(nn.Linear(in_features if i == 0 else width, width) for i in range(depth))
        self.heads = nn.ModuleDict(
            {
                "color": nn.Linear(width, heads["color"]),
                "shape": nn.Linear(width, heads["shape"]),
                "size": nn.Linear(width, heads["size"]),
            }
        )

    def forward(self, x):
        for layer in self.trunk:
            x = F.relu(layer(x))
        return {name: head(x) for name, head in self.heads.items()}
