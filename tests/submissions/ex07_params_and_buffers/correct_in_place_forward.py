# A different but correct solution: buffers and parameters from a loop over names, forward in place
# on its own input (as a layer inside a network may), the count through parameters_to_vector.
# status: passed
# fails: none
import torch
from torch import nn


class Standardize(nn.Module):
    def __init__(self, mean, std):
        super().__init__()
        for name, value in {"mean": mean, "std": std}.items():
            self.register_buffer(name, value.detach().clone())
        for name, fill in {"weight": 1.0, "bias": 0.0}.items():
            setattr(self, name, nn.Parameter(torch.full_like(mean, fill)))

    def forward(self, x):
        x -= self.mean
        x /= self.std
        return torch.addcmul(self.bias, x, self.weight)


def count_parameters(model):
    return nn.utils.parameters_to_vector(model.parameters()).numel()
