# A different but correct solution: parameters from mean.new_ones / new_zeros, buffers from
# torch.as_tensor, forward as a chain of tensor methods, the count with map(torch.numel, ...).
# status: passed
# fails: none
import torch
from torch import nn


class Standardize(nn.Module):
    def __init__(self, mean: torch.Tensor, std: torch.Tensor) -> None:
        super().__init__()
        self.weight = nn.Parameter(mean.new_ones(mean.shape))
        self.bias = nn.Parameter(mean.new_zeros(mean.shape))
        for name, value in (("mean", mean), ("std", std)):
            self.register_buffer(name, torch.as_tensor(value).detach().clone())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.sub(self.mean).div(self.std).mul(self.weight).add(self.bias)


def count_parameters(model: nn.Module) -> int:
    return int(sum(map(torch.numel, model.parameters())))
