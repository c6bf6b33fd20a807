# A different but correct solution: dict(...) for the checkpoint, an int() step, and the saved tensors
# copied into the model's own state_dict() tensors (which share the model's storage), in order.
# status: passed
# fails: none
import os

import torch


def save_checkpoint(path, model, optimizer, step):
    torch.save(dict(model=model.state_dict(), optimizer=optimizer.state_dict(), step=int(step)), os.fspath(path))


def load_checkpoint(path, model, optimizer):
    checkpoint = torch.load(os.fspath(path), map_location="cpu", weights_only=True)
    targets = model.state_dict()
    assert list(targets) == list(checkpoint["model"]), "not a checkpoint of this model"
    for target, saved in zip(targets.values(), checkpoint["model"].values()):
        target.copy_(saved)
    optimizer.load_state_dict(checkpoint["optimizer"])
    return int(checkpoint["step"])
