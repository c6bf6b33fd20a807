"""Exercise 14 — transfer learning: an 18-class mask classifier from a pretrained backbone.

The capstone: the earlier exercises together, in the code you would write on the first day
of a real image-classification project. The task is the course's mask-wearing
classification: every photo gets one of 18 classes, 3 mask states (worn, worn incorrectly,
not worn) × 2 genders × 3 age groups (< 30, 30–59, 60+), numbered
``6 * mask + 3 * gender + age``. Training a network from scratch on a few thousand photos
works poorly, so you start from a backbone pretrained on a larger data set and fine-tune it.

The given code below (do not change it) defines that backbone, ``Backbone``: a small CNN with
named blocks ``stem``, ``block1``, ``block2``, ``block3`` (each Conv2d, BatchNorm2d, ReLU), an
average pool and a 10-class head ``fc`` = Linear(64, 10), pretrained on 32×32 colour images.
``make_pretrained_checkpoint(path)`` writes its "pretrained" checkpoint, made from a fixed seed
so that everything runs offline, the same on every machine; it stands in for downloading
ImageNet weights. The file holds a dict::

    {"arch": "Backbone", "num_classes": 10, "state_dict": {...the backbone's state_dict...}}

Write two functions:

* ``build_classifier(checkpoint_path) -> Backbone`` —
  1. build a ``Backbone()`` and load the checkpoint's weights into it: read the file with
     ``torch.load(checkpoint_path, weights_only=True)`` and load its ``"state_dict"`` with
     ``load_state_dict`` (strict, the default). Every tensor counts, the BatchNorm running
     statistics (buffers) included. Load the file you are given, as it is: the grader also
     passes checkpoints made from other seeds;
  2. replace the head: ``model.fc`` becomes a new ``nn.Linear`` with the old head's
     ``in_features`` and ``NUM_CLASSES`` (18) outputs. Keep the name ``fc`` and return the
     ``Backbone`` itself (not a wrapper around it), so that its ``state_dict`` keys stay the
     checkpoint's;
  3. freeze ``stem``, ``block1`` and ``block2`` (``requires_grad`` False on their parameters);
     ``block3`` and the new ``fc`` stay trainable: with few photos, only the last block and
     the head are fine-tuned;
  4. return the model in training mode, ready to fine-tune.
* ``trainable_parameters(model)`` — the parameters an optimizer should get: exactly those of
  ``model`` that require grad, each once, as a list (or any iterable), in the model's order
  (that of ``model.parameters()``). It works for any model: the grader also passes models with
  other names and nesting, a parameter of the model itself, and a submodule used twice.

Example::

    >>> make_pretrained_checkpoint("backbone.pt")
    >>> model = build_classifier("backbone.pt")
    >>> model(torch.zeros(4, 3, 32, 32)).shape
    torch.Size([4, 18])
    >>> [name for name, p in model.named_parameters() if p.requires_grad]
    ['block3.0.weight', 'block3.1.weight', 'block3.1.bias', 'fc.weight', 'fc.bias']
    >>> optimizer = torch.optim.SGD(trainable_parameters(model), lr=0.01, momentum=0.9)

What to watch for:

* ``model.requires_grad = False`` freezes nothing: it sets a plain Python attribute on the
  module. Freeze parameters: ``p.requires_grad_(False)`` for each, or
  ``module.requires_grad_(False)`` (with the underscore: a method that does that for you).
* ``model.eval()`` freezes nothing either: it switches BatchNorm and Dropout to their
  evaluation behaviour, and gradients still flow. The lecture suggests ``requires_grad=False``
  for validation; that is the wrong tool too. Validate under ``model.eval()`` and
  ``torch.no_grad()``; use ``requires_grad`` to choose which parameters training may change.
* ``load_state_dict(..., strict=False)`` does not make a mismatch go away, it hides it: keys
  that do not match are skipped and only listed in the returned value. Given the whole
  checkpoint dict instead of its ``"state_dict"``, it loads nothing at all, silently.
* The order matters: a layer created after you freeze is trainable (new parameters require
  grad), and a freeze applied after you replace the head freezes the head too.
* Optional: a frozen block still updates its BatchNorm running statistics in training mode
  (``requires_grad`` stops gradients, not buffer updates). Calling ``.eval()`` on the frozen
  blocks keeps them fixed; a later ``model.train()`` undoes it.

A correction to the lecture's slides: they feed a 3-channel image to ``Conv2d(1, ...)``. A
layer's ``in_channels`` must match the input's channels: this backbone's stem is
``Conv2d(3, 8, 3)`` for colour images of shape (N, 3, H, W).
"""

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


# ---- Your code. ---------------------------------------------------------------------------------


def build_classifier(checkpoint_path) -> Backbone:
    """The pretrained Backbone with an 18-way head; only block3 and fc trainable."""
    ### BEGIN SOLUTION
    checkpoint = torch.load(checkpoint_path, weights_only=True)
    model = Backbone(num_classes=checkpoint["num_classes"])
    model.load_state_dict(checkpoint["state_dict"])
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    for parameter in model.block3.parameters():
        parameter.requires_grad_(True)
    model.fc = nn.Linear(model.fc.in_features, NUM_CLASSES)
    return model.train()
    ### END SOLUTION


def trainable_parameters(model: nn.Module) -> list[nn.Parameter]:
    """The parameters of ``model`` that require grad, in the model's order."""
    ### BEGIN SOLUTION
    return [parameter for parameter in model.parameters() if parameter.requires_grad]
    ### END SOLUTION
