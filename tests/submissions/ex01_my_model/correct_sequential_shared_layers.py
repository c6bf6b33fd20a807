# A different but correct solution: conv1 and conv2 as asked, run through an nn.Sequential
# that holds the same two layers (parameters() lists each shared parameter once).
# status: passed
# fails: none
from torch import nn


class MyModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels=1, out_channels=20, kernel_size=5)
        self.conv2 = nn.Conv2d(in_channels=20, out_channels=20, kernel_size=(5, 5))
        self.body = nn.Sequential(self.conv1, nn.ReLU(), self.conv2, nn.ReLU())

    def forward(self, x):
        return self.body(x)
