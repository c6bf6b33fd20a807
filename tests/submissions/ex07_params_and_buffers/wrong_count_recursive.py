# Its own recursion: a module's own parameters plus its children's counts. A module shared by two
# parents is walked twice, and a tied weight counted in both modules that hold it.
# status: failed
# fails: hidden_count_parameters
# message: counts a shared parameter once per place it sits in
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
    own = sum(p.numel() for p in model.parameters(recurse=False))
    return own + sum(count_parameters(child) for child in model.children())
