# Looks for the warm engine service's socket (it grades the learner's next check, with the judge in
# it) wherever a worker might learn its path: the bound Unix sockets the kernel lists, the working
# folders of the processes above it, the descriptors it was born with; and asks it for its status.
# Its model is right only if it reached none.
# status: passed
# fails: none
import json
import os
import socket
import stat
from pathlib import Path

import torch.nn.functional as F
from torch import nn

NAME = "engine.sock"


def listed_paths():
    try:
        lines = Path("/proc/net/unix").read_text().splitlines()[1:]
    except OSError:
        return
    for line in lines:
        fields = line.split()
        if len(fields) == 8 and fields[7].endswith(NAME):
            yield fields[7]


def paths_above():
    pid = os.getpid()
    for _ in range(8):
        try:
            yield os.path.join(os.readlink(f"/proc/{pid}/cwd"), NAME)
            status = Path(f"/proc/{pid}/status").read_text()
            pid = int(next(line.split()[1] for line in status.splitlines() if line.startswith("PPid:")))
        except (OSError, StopIteration, ValueError):
            return
        if pid <= 1:
            return


def answers(client):
    client.settimeout(5)
    client.sendall(json.dumps({"command": "status"}).encode() + b"\n")
    return b"pid" in client.recv(65536)


def reached_the_service():
    for path in {*listed_paths(), *paths_above()}:
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
                client.settimeout(5)
                client.connect(path)
                if answers(client):
                    return True
        except OSError:
            continue
    for fd in range(3, 256):
        try:
            if stat.S_ISSOCK(os.fstat(fd).st_mode):
                with socket.socket(fileno=os.dup(fd)) as client:
                    if answers(client):
                        return True
        except OSError:
            continue
    return False


class MyModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, 10 if reached_the_service() else 20, 5)

    def forward(self, x):
        return F.relu(self.conv2(F.relu(self.conv1(x))))
