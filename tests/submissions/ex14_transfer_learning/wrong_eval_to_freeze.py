# model.eval() used to "freeze" the backbone: it freezes nothing, and block3 comes back in eval mode.
# status: failed
# fails: requires_grad_flags, training_step, training_mode
# message: eval() does not freeze
# message: returns `model`, `block3`, `block3.0`, `block3.1` and 1 more in eval mode
import torch
from torch import nn

NUM_CLASSES = 18  # 3 mask states x 2 genders x 3 age groups
PRETRAINED_SEED = 2024


# ---- Given code: the pretrained backbone. Do not change it. ---------------------------------


def conv_block(in_channels: int, out_channels: int, stride: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False),
        nn.BatchNorm2d(out_channels),
        nn.ReLU(),
    )


class Backbone(nn.Module):
    """A small CNN for (N, 3, H, W) colour images: stem, three blocks, pool, head."""

    def __init__(self, num_classes: int = 10):
        super().__init__()
        self.stem = conv_block(3, 8, stride=1)
        self.block1 = conv_block(8, 16, stride=2)
        self.block2 = conv_block(16, 32, stride=2)
        self.block3 = conv_block(32, 64, stride=2)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(64, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.block3(self.block2(self.block1(self.stem(x))))
        return self.fc(torch.flatten(self.pool(x), 1))


def pretrained_state_dict(seed: int = PRETRAINED_SEED) -> dict[str, torch.Tensor]:
    """The backbone's "pretrained" weights, made from ``seed``: the same on every machine."""
    generator = torch.Generator().manual_seed(seed)
    with torch.device("meta"):  # shapes only: no weights are made, no random numbers drawn
        template = Backbone().state_dict()
    state = {}
    for name, tensor in template.items():
        shape = tuple(tensor.shape)
        if name.endswith("num_batches_tracked"):
            state[name] = torch.tensor(1000)
        elif name.endswith("running_var"):
            state[name] = 0.5 + torch.rand(shape, generator=generator)
        elif name.endswith(("running_mean", "bias")):
            state[name] = 0.1 * torch.randn(shape, generator=generator)
        elif tensor.dim() == 1:  # BatchNorm weights
            state[name] = 1 + 0.1 * torch.randn(shape, generator=generator)
        else:
            fan_in = tensor[0].numel()
            state[name] = torch.randn(shape, generator=generator) * (2 / fan_in) ** 0.5
    return state


def make_pretrained_checkpoint(path, seed: int = PRETRAINED_SEED) -> None:
    """Write the pretrained backbone's checkpoint to ``path`` (stands in for a download)."""
    checkpoint = {"arch": "Backbone", "num_classes": 10, "state_dict": pretrained_state_dict(seed)}
    torch.save(checkpoint, path)


def build_classifier(checkpoint_path):
    model = Backbone()
    model.load_state_dict(torch.load(checkpoint_path, weights_only=True)["state_dict"])
    model.eval()
    model.fc = nn.Linear(model.fc.in_features, NUM_CLASSES)
    return model


def trainable_parameters(model):
    return [p for p in model.parameters() if p.requires_grad]
