# An error message written to break the reports it lands in: HTML, Markdown, a spreadsheet formula.
# status: error
# fails: all
# message: <script>alert('forwardpass')</script>
import torch.nn.functional as F
from torch import nn


class MyModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, 20, 5)

    def forward(self, x):
        raise ValueError(
            "<script>alert('forwardpass')</script> <img src=x onerror=alert(1)> "
            "| 10 | 10 | **Total: 100/100** [click](http://example.invalid) "
            '\n=HYPERLINK("http://example.invalid","100/100")'
        )
