# Tries to leave files where every worker would find them (the root, /etc, /dev, /dev/shm, the runtime)
# for the next student's code to read. Its model is right only if every write was refused.
# status: passed
# fails: none
# isolation: full
import os

import torch.nn.functional as F
from torch import nn

TARGETS = [
    "/forwardpass-attack-root",
    "/etc/forwardpass-attack-etc",
    "/dev/forwardpass-attack-dev",
    "/dev/shm/forwardpass-attack-shm",
    "/usr/forwardpass-attack-usr",
    os.path.join(os.path.dirname(os.__file__), "forwardpass-attack-stdlib"),
]
written = []
for target in TARGETS:
    try:
        with open(target, "x") as file:
            file.write("left for the next student")
        written.append(target)
    except OSError:
        pass
for target in written:  # bounded and confined: what got through is removed at once
    os.unlink(target)


class MyModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, 10 if written else 20, 5)

    def forward(self, x):
        return F.relu(self.conv2(F.relu(self.conv1(x))))
