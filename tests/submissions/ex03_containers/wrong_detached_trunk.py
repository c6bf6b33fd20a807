# The trunk's features are detached "so that one head cannot disturb the trunk the others share":
# the outputs are right, but backward() never reaches the trunk's layers or x, so they never learn.
# status: failed
# fails: gradients, learns, hidden_gradients
# message: no gradient reached `(16, 10)`
# message: something between them and the output is cut off from the autograd graph
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
        features = x.detach()
        return {name: head(features) for name, head in self.heads.items()}
