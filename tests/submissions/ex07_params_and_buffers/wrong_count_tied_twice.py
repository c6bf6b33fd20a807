# Counts each module's own parameters: right without sharing, but a tied weight is counted twice.
# status: failed
# fails: hidden_count_parameters
# message: counts a parameter that two modules share (a tied weight) once per module that holds it
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
        for parameter in module.parameters(recurse=False):
            total += parameter.numel()
    return total
