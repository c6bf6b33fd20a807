# The optimizer's state is saved but never loaded back.
# status: failed
# fails: optimizer_restored, resumes_identically, hidden_restores, hidden_resume
# message: the optimizer is as fresh as it was built
# message: but the optimizer's did not
import torch


def save_checkpoint(path, model, optimizer, step):
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "step": step}, path)


def load_checkpoint(path, model, optimizer):
    checkpoint = torch.load(path, weights_only=True)
    model.load_state_dict(checkpoint["model"])
    return checkpoint["step"]
