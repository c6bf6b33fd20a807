# load_checkpoint ends with model.eval(), as loading code for inference does: training goes on with a
# BatchNorm that normalises with its running statistics.
# status: failed
# fails: hidden_resume
# message: load_checkpoint left the model in eval mode
import torch


def save_checkpoint(path, model, optimizer, step):
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "step": step}, path)


def load_checkpoint(path, model, optimizer):
    checkpoint = torch.load(path, weights_only=True)
    model.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])
    model.eval()
    return checkpoint["step"]
