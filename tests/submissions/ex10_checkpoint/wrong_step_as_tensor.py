# The step is saved as a tensor, so load_checkpoint hands back a tensor instead of an int.
# status: failed
# fails: file_layout, hidden_restores
# message: Your checkpoint's 'step' is a tensor of shape ()
# message: load_checkpoint returned a tensor
import torch


def save_checkpoint(path, model, optimizer, step):
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "step": torch.tensor(step)}, path)


def load_checkpoint(path, model, optimizer):
    checkpoint = torch.load(path, weights_only=True)
    model.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])
    return checkpoint["step"]
