# The formula typed without parentheses: x - mean / std * weight + bias divides only mean by std.
# status: failed
# fails: forward_values, gradients, hidden_forward, hidden_gradients
# message: Your output equals x - mean / std * weight + bias
# message: without parentheses around x - mean
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
        return x - self.mean / self.std * self.weight + self.bias



def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
