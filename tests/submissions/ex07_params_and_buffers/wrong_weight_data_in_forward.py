# forward reads weight.data and bias.data: the values are right, but nothing reaches the parameters
# when backward() runs, so the layer never learns.
# status: failed
# fails: gradients, hidden_gradients
# message: no gradient reached `weight`
# message: leaves `weight`, `bias` without a gradient
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
        return (x - self.mean) / self.std * self.weight.data + self.bias.data



def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
