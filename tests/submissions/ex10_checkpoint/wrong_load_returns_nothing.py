# load_checkpoint restores everything but forgets to return the step.
# status: failed
# fails: step_restored, hidden_restores
# message: yours returned None
# message: load_checkpoint returned None
import torch


def save_checkpoint(path, model, optimizer, step):
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "step": step}, path)


def load_checkpoint(path, model, optimizer):
    checkpoint = torch.load(path, weights_only=True)
    model.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])
