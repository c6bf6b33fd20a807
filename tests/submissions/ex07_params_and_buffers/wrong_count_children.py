# Adds up the parameters of each layer of the model, one child at a time: right for a Sequential,
# but a parameter on the model itself is missed and one shared by two children is counted twice.
# status: failed
# fails: hidden_count_parameters
# message: adds up the parameters of each direct child
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
    for layer in model.children():
        for parameter in layer.parameters():
            total += parameter.numel()
    return total
