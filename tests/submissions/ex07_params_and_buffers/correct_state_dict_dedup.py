# A different but correct solution: counts state_dict entries that are parameters, each storage once; forward via a normalised tensor.
# status: passed
# fails: none
import torch
from torch import nn


class Standardize(nn.Module):
    def __init__(self, mean, std):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(len(mean)))
        self.bias = nn.Parameter(torch.zeros(len(mean)))
        self.register_buffer("mean", torch.as_tensor(mean, dtype=torch.float32).clone())
        self.register_buffer("std", torch.as_tensor(std, dtype=torch.float32).clone())

    def forward(self, x):
        normalised = (x - self.mean) / self.std
        return normalised * self.weight + self.bias


def count_parameters(model):
    parameter_names = {name for name, _ in model.named_parameters(remove_duplicate=False)}
    state = model.state_dict(keep_vars=True)
    seen, total = set(), 0
    for name, tensor in state.items():
        if name in parameter_names and id(tensor) not in seen:
            seen.add(id(tensor))
            total += tensor.numel()
    return total
