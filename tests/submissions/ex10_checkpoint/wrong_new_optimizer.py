# load_checkpoint restores a new optimizer of its own instead of the one it is given.
# status: failed
# fails: optimizer_restored, resumes_identically, hidden_restores, hidden_resume
# message: the optimizer is as fresh as it was built
import torch


def save_checkpoint(path, model, optimizer, step):
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "step": step}, path)


def load_checkpoint(path, model, optimizer):
    checkpoint = torch.load(path, weights_only=True)
    model.load_state_dict(checkpoint["model"])
    optimizer = torch.optim.Adam(model.parameters())
    optimizer.load_state_dict(checkpoint["optimizer"])
    return checkpoint["step"]
