# super().__init__() forgotten: register_buffer fails; count_parameters still earns its points.
# status: failed
# fails: parameters, buffers, state_dict, follows_to, forward_values, gradients, hidden_forward, hidden_gradients
# message: super().__init__()
import torch
from torch import nn


class Standardize(nn.Module):
    def __init__(self, mean, std):
        self.register_buffer("mean", mean.clone())
        self.register_buffer("std", std.clone())
        self.weight = nn.Parameter(torch.ones_like(mean))
        self.bias = nn.Parameter(torch.zeros_like(mean))

    def forward(self, x):
        return (x - self.mean) / self.std * self.weight + self.bias


def count_parameters(model):
    return sum(p.numel() for p in model.parameters())
