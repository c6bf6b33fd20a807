# A hand-written ReLU as an autograd Function whose backward passes the gradient through
# unchanged, forgetting that ReLU's derivative is 0 where the input was negative: the outputs
# are right, the gradients are not.
# status: failed
# fails: gradients, gradients_hidden
# message: Your output is right but its gradients are not
# message: conv1.weight
import torch
from torch import nn


class MyReLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x.clamp(min=0)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output


class MyModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, 20, 5)

    def forward(self, x):
        x = MyReLU.apply(self.conv1(x))
        return MyReLU.apply(self.conv2(x))
