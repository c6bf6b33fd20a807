# Adds up parameters() of every module: a container's parameters() holds its layers' too, so each
# parameter is counted again for every container above it.
# status: failed
# fails: count_parameters, hidden_count_parameters
# message: yours returned 198; the reference returns 99
# message: a module's parameters() includes its submodules'
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
        return (x - self.mean) / self.std * self.weight + self.bias


def count_parameters(model: nn.Module) -> int:
    total = 0
    for module in model.modules():
        total += sum(p.numel() for p in module.parameters())
    return total
