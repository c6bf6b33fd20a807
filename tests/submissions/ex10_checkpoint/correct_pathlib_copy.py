# A different but correct solution: pathlib, deep copies of the state_dicts, and torch.load's default (weights_only).
# status: passed
# fails: none
import copy
from pathlib import Path

import torch


def save_checkpoint(path, model, optimizer, step):
    checkpoint = dict(model=copy.deepcopy(model.state_dict()), optimizer=copy.deepcopy(optimizer.state_dict()), step=step)
    torch.save(checkpoint, Path(path))


def load_checkpoint(path, model, optimizer):
    checkpoint = torch.load(Path(path))
    model.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])
    return checkpoint["step"]
