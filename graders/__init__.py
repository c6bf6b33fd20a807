"""forwardpass: autograded exercises for PyTorch's nn.Module, and the engine that grades them."""

__version__ = "0.1.0"
