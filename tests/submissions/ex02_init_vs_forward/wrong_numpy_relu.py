# The ReLU taken through NumPy, np.maximum(h, 0), and back with torch.from_numpy: the outputs are
# right, but the round trip leaves the autograd graph, so backward() reaches neither the first
# layer nor x.
# status: failed
# fails: gradients, learns, hidden_gradients
# message: no gradient reached `(32, 8)`
# message: a round trip through NumPy
# message: backward() leaves other gradients in your parameters than in the reference's
import numpy as np
import torch
from torch import nn


class TwoLayerMLP(nn.Module):
    def __init__(self, in_features, hidden, out_features):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.fc2 = nn.Linear(hidden, out_features)

    def forward(self, x):
        h = self.fc1(x).detach().numpy()
        h = torch.from_numpy(np.maximum(h, 0))
        return self.fc2(h)
