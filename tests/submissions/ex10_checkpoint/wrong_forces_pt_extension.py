# save_checkpoint makes sure the file name ends in .pt, but load_checkpoint reads the path it is given:
# any other name is saved to one file and looked for in another.
# status: failed
# fails: hidden_restores, hidden_resume
# message: `checkpoint = torch.load(path, weights_only=True)`
# message: Save to, and load from, exactly the path you are given
import torch


def save_checkpoint(path, model, optimizer, step):
    if not str(path).endswith(".pt"):
        path = str(path) + ".pt"
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "step": step}, path)


def load_checkpoint(path, model, optimizer):
    checkpoint = torch.load(path, weights_only=True)
    model.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])
    return checkpoint["step"]
