# The class is called Mymodel; the exercise asks for MyModel.
# status: error
# fails: all
# message: Your file defines no `MyModel`. It defines: Mymodel.
import torch.nn.functional as F
from torch import nn


class Mymodel(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, 20, 5)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        return F.relu(self.conv2(x))
