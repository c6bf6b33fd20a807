# Assigns self.mean first, then registers a buffer of the same name: register_buffer raises KeyError.
# status: failed
# fails: parameters, buffers, state_dict, follows_to, forward_values, gradients, hidden_forward, hidden_gradients
# message: already exists
# message: do not assign `self.mean = ...` before
import torch
from torch import nn


class Standardize(nn.Module):
    def __init__(self, mean, std):
        super().__init__()
        self.mean = mean
        self.std = std
        self.register_buffer("mean", self.mean)
        self.register_buffer("std", self.std)
        self.weight = nn.Parameter(torch.ones_like(mean))
        self.bias = nn.Parameter(torch.zeros_like(mean))

    def forward(self, x):
        return (x - self.mean) / self.std * self.weight + self.bias


def count_parameters(model):
    return sum(p.numel() for p in model.parameters())
