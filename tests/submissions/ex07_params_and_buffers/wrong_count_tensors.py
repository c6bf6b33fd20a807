# Counts parameter tensors instead of their elements.
# status: failed
# fails: count_parameters, hidden_count_parameters
# message: yours returned 6
# message: the number of parameter tensors, not of the numbers they hold
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
    return len(list(model.parameters()))
