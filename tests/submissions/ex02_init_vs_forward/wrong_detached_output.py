# forward detaches its result "so that the caller gets plain values": the outputs are right, but
# backward() reaches neither the weights nor x, so an optimizer could never train the model.
# status: failed
# fails: gradients, learns, hidden_gradients
# message: element 0 of tensors does not require grad
# message: your output does not require grad
# message: `.detach()`
import torch.nn.functional as F
from torch import nn


class TwoLayerMLP(nn.Module):
    def __init__(self, in_features, hidden, out_features):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.fc2 = nn.Linear(hidden, out_features)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x))).detach()
