# "One trunk per task": every head gets a trunk of its own, so nothing is shared and the model has
# three times the trunk's parameters.
# status: failed
# fails: parameter_count, linear_layers, output_values, gradients, learns, to_float64, hidden_parameter_count, hidden_output_values, hidden_gradients
# message: Yours has 3 weight matrices of shape (16, 10); the reference has 1.
# message: yields 12 Linear layers
from torch import nn


def trunk(in_features, width, depth):
    layers = []
    for i in range(depth):
        layers += [nn.Linear(in_features if i == 0 else width, width), nn.ReLU()]
    return nn.Sequential(*layers)


class MultiHeadNet(nn.Module):
    def __init__(self, in_features, width, depth, heads):
        super().__init__()
        self.branches = nn.ModuleDict(
            {name: nn.Sequential(trunk(in_features, width, depth), nn.Linear(width, n)) for name, n in heads.items()}
        )

    def forward(self, x):
        return {name: branch(x) for name, branch in self.branches.items()}
