# The "weights" are saved as the named parameters, loaded with strict=False so that nothing complains:
# a model's buffers (BatchNorm's running statistics) are part of its state and are lost.
# status: failed
# fails: hidden_restores
# message: these parts of the model's state are not the saved ones: a BatchNorm layer's running statistics (its buffers)
import torch


def save_checkpoint(path, model, optimizer, step):
    weights = {name: p.detach() for name, p in model.named_parameters()}
    torch.save({"model": weights, "optimizer": optimizer.state_dict(), "step": step}, path)


def load_checkpoint(path, model, optimizer):
    checkpoint = torch.load(path, weights_only=True)
    model.load_state_dict(checkpoint["model"], strict=False)
    optimizer.load_state_dict(checkpoint["optimizer"])
    return checkpoint["step"]
