# The affine part is mixed into the standardisation: (x - mean) * weight / (std + bias).
# status: failed
# fails: forward_values, hidden_forward
# message: values differ from the reference's
# message: Standardise first, then scale and shift
import torch
from torch import nn


class Standardize(nn.Module):
    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer("mean", mean.clone())
        self.register_buffer("std", std.clone())
        self.weight = nn.Parameter(torch.ones_like(mean))
        self.bias = nn.Parameter(torch.zeros_like(mean))

    def forward(self, x):
        return (x - self.mean) * self.weight / (self.std + self.bias)


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
