# Connects to the host's abstract Unix sockets (named "@...", listed in /proc/net/unix; no file
# permission guards them), where a host service might answer. Its model is right only if it reached
# none.
# status: passed
# fails: none
import socket
from pathlib import Path

import torch.nn.functional as F
from torch import nn


def abstract_names():
    for line in Path("/proc/net/unix").read_text().splitlines()[1:]:
        fields = line.split()
        if len(fields) == 8 and fields[7].startswith("@forwardpass-attack-"):
            yield "\0" + fields[7][1:]


def reached_the_host():
    for name in abstract_names():
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
                client.settimeout(2)
                client.connect(name)
                client.sendall(b"a worker was here")
                return True
        except OSError:
            continue
    return False


class MyModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, 10 if reached_the_host() else 20, 5)

    def forward(self, x):
        return F.relu(self.conv2(F.relu(self.conv1(x))))
