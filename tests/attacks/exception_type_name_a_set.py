# Computes the right output when called as model(x), but model.forward(x) raises an exception
# whose class names itself with a set: only the check that calls forward directly may fail.
# status: failed
# fails: call_equals_forward
# message: your code raised Unnameable
import torch.nn.functional as F
from torch import nn


class NamedBySet(type):
    @property
    def __name__(cls):
        return {"not", "a", "name"}


class Unnameable(Exception, metaclass=NamedBySet):
    pass


class MyModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, 20, 5)
        self.through_call = False

    def __call__(self, x):
        self.through_call = True
        try:
            return super().__call__(x)
        finally:
            self.through_call = False

    def forward(self, x):
        if not self.through_call:
            raise Unnameable("forward called directly")
        return F.relu(self.conv2(F.relu(self.conv1(x))))
