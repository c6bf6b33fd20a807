# Writes fake result and report files wherever the grader might look.
# status: failed
# fails: conv2, parameter_count, output_shape, output_values, gradients, output_values_hidden, gradients_hidden
# isolation: full
import glob
import json
import os

import torch.nn.functional as F
from torch import nn


class MyModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, 10, 5)

    def forward(self, x):
        return F.relu(self.conv2(F.relu(self.conv1(x))))


fake = json.dumps({"status": "finished", "score": 10.0})
targets = ["report.json", "observations.bin", "results.json", "../report.json", "../../report.json"]
targets += [p + "/report.json" for p in glob.glob("/tmp/forwardpass-*/*")]
targets += [
    "/tmp/forwardpass-attack-results.json",
    "/var/tmp/forwardpass-attack-results.json",
    "/dev/shm/forwardpass-attack-results.json",
    os.path.expanduser("~/forwardpass-attack-results.json"),
]
for target in targets:
    try:
        with open(target, "w") as file:
            file.write(fake)
    except OSError:
        pass
