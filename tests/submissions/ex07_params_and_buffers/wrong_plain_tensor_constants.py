# The lecture's plain tensors: mean and std kept as plain attributes — not saved, not converted by .to().
# status: failed
# fails: buffers, state_dict, follows_to
# message: mean is a plain tensor
# message: Missing from yours: mean, std, which would not be saved
# message: afterwards mean is float32, std is float32
# message: Register it as a buffer named 'mean'
import torch
from torch import nn


class Standardize(nn.Module):
    def __init__(self, mean, std):
        super().__init__()
        self.mean = mean
        self.std = std
        self.weight = nn.Parameter(torch.ones_like(mean))
        self.bias = nn.Parameter(torch.zeros_like(mean))

    def forward(self, x):
        return (x - self.mean) / self.std * self.weight + self.bias


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
