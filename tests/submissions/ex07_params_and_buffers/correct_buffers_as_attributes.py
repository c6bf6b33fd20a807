# A different but correct solution: register_buffer without clone, parameters via register_parameter, torch.addcmul, a set of ids.
# status: passed
# fails: none
import torch
from torch import nn


class Standardize(nn.Module):
    def __init__(self, mean: torch.Tensor, std: torch.Tensor):
        super().__init__()
        features = mean.shape[0]
        self.register_parameter("weight", nn.Parameter(torch.ones(features)))
        self.register_parameter("bias", nn.Parameter(torch.zeros(features)))
        self.register_buffer("mean", mean)
        self.register_buffer("std", std)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.addcmul(self.bias, (x - self.mean) / self.std, self.weight)


def count_parameters(model: nn.Module) -> int:
    seen = {}
    for _, parameter in model.named_parameters(remove_duplicate=False):
        seen[id(parameter)] = parameter.numel()
    return sum(seen.values())
