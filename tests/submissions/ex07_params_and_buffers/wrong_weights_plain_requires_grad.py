# weight and bias are plain tensors with requires_grad=True: not parameters, not saved, not converted.
# status: failed
# fails: parameters, state_dict, follows_to
# message: yours are none
# message: A tensor with requires_grad=True is not a parameter
import torch
from torch import nn


class Standardize(nn.Module):
    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer("mean", mean.clone())
        self.register_buffer("std", std.clone())
        self.weight = torch.ones_like(mean, requires_grad=True)
        self.bias = torch.zeros_like(mean, requires_grad=True)

    def forward(self, x):
        return (x - self.mean) / self.std * self.weight + self.bias


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
