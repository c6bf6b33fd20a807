# An infinite loop at the top level of the file.
# status: error
# fails: all
# message: Stopped after
# message: top level of your file
from torch import nn

while True:
    pass


class MyModel(nn.Module):
    pass
