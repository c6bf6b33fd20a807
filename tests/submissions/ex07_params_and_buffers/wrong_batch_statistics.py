# "Standardise every feature" read as BatchNorm: forward uses the batch's own mean and std, and the
# statistics given to the constructor are stored but never used.
# status: failed
# fails: forward_values, gradients, hidden_forward, hidden_gradients
# message: it standardises with the batch's own statistics
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
        return (x - x.mean(dim=0)) / x.std(dim=0) * self.weight + self.bias



def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
