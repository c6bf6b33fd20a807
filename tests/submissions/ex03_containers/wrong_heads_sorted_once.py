# The heads built in sorted order "to be reproducible", but forward pairs them with the task names in
# the order they were given: right when the tasks come sorted, as in the example, wrong otherwise.
# status: failed
# fails: hidden_output_values, hidden_gradients
# message: a deeper MultiHeadNet with four heads named otherwise and given in any order, on a hidden batch: the values cannot match because your output has a different shape
import torch.nn.functional as F
from torch import nn


class MultiHeadNet(nn.Module):
    def __init__(self, in_features, width, depth, heads):
        super().__init__()
        self.trunk = nn.ModuleList(nn.Linear(in_features if i == 0 else width, width) for i in range(depth))
        self.task_names = list(heads)
        self.heads = nn.ModuleList(nn.Linear(width, heads[name]) for name in sorted(heads))

    def forward(self, x):
        for layer in self.trunk:
            x = F.relu(layer(x))
        return {name: head(x) for name, head in zip(self.task_names, self.heads)}
