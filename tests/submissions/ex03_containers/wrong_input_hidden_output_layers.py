# The trunk thought of as "an input layer, depth - 2 hidden layers and an output layer": right for
# depth 2 and more, but depth 1 still gets two layers.
# status: failed
# fails: hidden_parameter_count, hidden_output_values, hidden_gradients
# message: depth layers in the trunk (depth may be 1)
import torch
from torch import nn


class MultiHeadNet(nn.Module):
    def __init__(self, in_features, width, depth, heads):
        super().__init__()
        self.input_layer = nn.Linear(in_features, width)
        self.hidden_layers = nn.ModuleList(nn.Linear(width, width) for _ in range(depth - 2))
        self.output_layer = nn.Linear(width, width)
        self.heads = nn.ModuleDict({name: nn.Linear(width, n) for name, n in heads.items()})

    def forward(self, x):
        x = torch.relu(self.input_layer(x))
        for layer in self.hidden_layers:
            x = torch.relu(layer(x))
        x = torch.relu(self.output_layer(x))
        return {name: head(x) for name, head in self.heads.items()}
