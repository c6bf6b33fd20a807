# The whole checkpoint dict is passed to model.load_state_dict.
# status: failed
# fails: model_restored, step_restored, optimizer_restored, resumes_identically, hidden_restores, hidden_resume
# message: Missing key(s) in state_dict
# message: the checkpoint's 'model' entry, not the whole checkpoint
import torch


def save_checkpoint(path, model, optimizer, step):
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "step": step}, path)


def load_checkpoint(path, model, optimizer):
    checkpoint = torch.load(path, weights_only=True)
    model.load_state_dict(checkpoint)
    optimizer.load_state_dict(checkpoint["optimizer"])
    return checkpoint["step"]
