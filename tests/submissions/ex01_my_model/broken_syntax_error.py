# A missing comma in a signature.
# status: error
# fails: all
# message: Your file has a SyntaxError on line 12
import torch.nn.functional as F
from torch import nn


class MyModel(nn.Module):
    def __init__(self):
        super().__init__()
    def forward(self x):
        return F.relu(x)
