# Leaves 3,000 folders inside one another where it runs, the outermost locked (mode 0), then submits
# an honest model: removing its folder must neither recurse nor stop at a permission, and the engine,
# with everyone graded after this student, carries on.
# status: passed
# fails: none
import os

start = os.open(".", os.O_RDONLY)
for _ in range(3000):
    os.mkdir("forwardpass-attack-deep")
    os.chdir("forwardpass-attack-deep")
os.fchdir(start)
os.chmod("forwardpass-attack-deep", 0)

import torch.nn.functional as F
from torch import nn


class MyModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, 20, 5)

    def forward(self, x):
        return F.relu(self.conv2(F.relu(self.conv1(x))))
