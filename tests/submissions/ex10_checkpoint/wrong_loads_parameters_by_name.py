# The saved weights are copied into the model's parameters by name, by hand: the buffers in the
# checkpoint are never put back.
# status: failed
# fails: hidden_restores
# message: a BatchNorm layer's running statistics (its buffers)
import torch


def save_checkpoint(path, model, optimizer, step):
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "step": step}, path)


def load_checkpoint(path, model, optimizer):
    checkpoint = torch.load(path, weights_only=True)
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            parameter.copy_(checkpoint["model"][name])
    optimizer.load_state_dict(checkpoint["optimizer"])
    return checkpoint["step"]
