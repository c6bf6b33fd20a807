# mean and std as frozen nn.Parameters: saved and converted, but they are parameters, not buffers.
# status: failed
# fails: parameters, buffers
# message: mean of shape (5,) (requires_grad=False)
# message: is a statistic of the data, not something to learn
import torch
from torch import nn


class Standardize(nn.Module):
    def __init__(self, mean, std):
        super().__init__()
        self.weight = nn.Parameter(torch.ones_like(mean))
        self.bias = nn.Parameter(torch.zeros_like(mean))
        self.mean = nn.Parameter(mean.clone(), requires_grad=False)
        self.std = nn.Parameter(std.clone(), requires_grad=False)

    def forward(self, x):
        return (x - self.mean) / self.std * self.weight + self.bias


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
