# state_dict() without BatchNorm's statistics: the buffers of the public model are gone, but a tied
# weight is still listed, and counted, under each of its names.
# status: failed
# fails: hidden_count_parameters
# message: counts a shared parameter once per place it sits in
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
        return (x - self.mean) / self.std * self.weight + self.bias


def count_parameters(model: nn.Module) -> int:
    skipped = ("running_mean", "running_var", "num_batches_tracked")
    return sum(value.numel() for key, value in model.state_dict().items() if not key.endswith(skipped))
