# The trunk stored as `self.modules = [...]`: a plain list (not registered) that also hides nn.Module's modules() method.
# status: failed
# fails: parameter_count, linear_layers, output_values, gradients, learns, to_float64, hidden_parameter_count, hidden_output_values, hidden_gradients
# message: Exactly the heads' parameters are registered, none of the trunk's
# message: Your attribute `modules` (a list) hides nn.Module's modules() method
import torch.nn.functional as F
from torch import nn


class MultiHeadNet(nn.Module):
    def __init__(self, in_features, width, depth, heads):
        super().__init__()
        self.modules = [nn.Linear(in_features, width)] + [nn.Linear(width, width) for _ in range(depth - 1)]
        self.heads = nn.ModuleDict({name: nn.Linear(width, n) for name, n in heads.items()})

    def forward(self, x):
        for layer in self.modules:
            x = F.relu(layer(x))
        return {name: head(x) for name, head in self.heads.items()}
