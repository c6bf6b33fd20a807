# Only what is learned is saved, the parameters that require grad: a frozen layer's weights and the
# buffers are lost, and the resumed model computes something else.
# status: failed
# fails: hidden_restores, hidden_resume
# message: a frozen layer
# message: The saved state did not all come back
import torch


def save_checkpoint(path, model, optimizer, step):
    learned = {name: p.detach() for name, p in model.named_parameters() if p.requires_grad}
    torch.save({"model": learned, "optimizer": optimizer.state_dict(), "step": step}, path)


def load_checkpoint(path, model, optimizer):
    checkpoint = torch.load(path, weights_only=True)
    model.load_state_dict(checkpoint["model"], strict=False)
    optimizer.load_state_dict(checkpoint["optimizer"])
    return checkpoint["step"]
