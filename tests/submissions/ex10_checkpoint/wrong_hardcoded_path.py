# save_checkpoint always writes "model.pt", whatever path it is given; load_checkpoint reads the path it is given.
# status: failed
# fails: loads_safely, file_layout, resumes_identically, hidden_restores, hidden_resume
# message: there was no file at 'checkpoint.pt'
# message: No such file or directory
# message: Save to, and load from, exactly the path you are given
import torch


def save_checkpoint(path, model, optimizer, step):
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "step": step}, "model.pt")


def load_checkpoint(path, model, optimizer):
    checkpoint = torch.load(path, weights_only=True)
    model.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])
    return checkpoint["step"]
