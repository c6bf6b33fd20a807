# weight and bias of shape (1, F), "so that they broadcast over the batch": the output is right,
# but the parameters do not have the shape (F,) the assignment gives them.
# status: failed
# fails: parameters, forward_values, gradients, hidden_forward, hidden_gradients
# message: yours are weight of shape (1, 5); bias of shape (1, 5)
# message: Your layer.weight has shape (1, 5); the reference's has shape (5,), so the reference's cannot be loaded
import torch
from torch import nn


class Standardize(nn.Module):
    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer("mean", mean.clone())
        self.register_buffer("std", std.clone())
        self.weight = nn.Parameter(torch.ones(1, mean.shape[0]))
        self.bias = nn.Parameter(torch.zeros(1, mean.shape[0]))

    def forward(self, x):
        return (x - self.mean) / self.std * self.weight + self.bias



def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
