# Looks for the reference's cached observations (a course keeps them in a folder anyone may pass
# through) and builds its model from what they say the reference has: a student who could not count
# the channels. Its model is wrong unless it could read them.
# status: failed
# fails: conv2, parameter_count, output_shape, output_values, gradients, output_values_hidden, gradients_hidden
import glob
import json

import torch.nn.functional as F
from torch import nn

PLACES = ("/tmp/forwardpass-*/cache*/reference/ex01_my_model-*.obs", "/tmp/forwardpass-*/references/ex01_my_model.*")


def channels_the_reference_has():
    for path in (path for pattern in PLACES for path in glob.glob(pattern)):
        try:
            with open(path, "rb") as file:
                data = file.read()
            start = data.index(b"\n") + 1
            size = int.from_bytes(data[start : start + 8], "big")
            header = json.loads(data[start + 8 : start + 8 + size])
            return header["dict"]["values"]["dict"]["conv2"]["dict"]["out_channels"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return 10  # what this student believed


class MyModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, channels_the_reference_has(), 5)

    def forward(self, x):
        return F.relu(self.conv2(F.relu(self.conv1(x))))
