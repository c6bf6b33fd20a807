# "mean and std are constants, so no gradient is needed": the standardisation runs under
# torch.no_grad(), which also cuts the gradient on its way back to x.
# status: failed
# fails: gradients, hidden_gradients
# message: no gradient reached `x`
# message: leaves `x` without a gradient
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
        with torch.no_grad():
            standardised = (x - self.mean) / self.std
        return standardised * self.weight + self.bias



def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
