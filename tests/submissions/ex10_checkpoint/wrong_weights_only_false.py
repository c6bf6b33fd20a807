# Checkpoints of state_dicts, read back with weights_only=False "to get rid of the warning": a file
# that holds pickled objects is unpickled, and whatever code they bring runs.
# status: failed
# fails: refuses_pickles
# message: the pickled call ran
# message: Read checkpoints with weights_only=True
import torch


def save_checkpoint(path, model, optimizer, step):
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "step": step}, path)


def load_checkpoint(path, model, optimizer):
    checkpoint = torch.load(path, weights_only=False)
    model.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])
    return checkpoint["step"]
