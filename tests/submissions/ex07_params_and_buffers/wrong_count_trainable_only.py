# The well-known idiom for "trainable parameters": frozen parameters are left out, but they are
# parameters too.
# status: failed
# fails: hidden_count_parameters
# message: leaves out the frozen parameters
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
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
