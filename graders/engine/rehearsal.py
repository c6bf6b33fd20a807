"""A rehearsal of what probes do, run once by the zygote before it forks any worker.

torch initialises much of itself on first use: operator dispatch caches, autograd's engine, the
kernels oneDNN builds for a convolution, the bytecode CPython specialises as it runs. Done once
in the zygote, every worker inherits it instead of paying for it (and copying the pages it
writes) on each job. The rehearsal computes on made-up data with one thread, so a worker inherits
no secret and no thread pool; it avoids ``torch.optim``, whose first use imports ``torch._dynamo``
(two seconds, and a larger zygote), which exercises that train ask for with ``preload``.
"""

from __future__ import annotations

import io

import torch
import torch.nn.functional as F
from torch import nn


def rehearse() -> None:
    generator = torch.Generator().manual_seed(0)
    model = nn.Sequential(
        nn.Conv2d(1, 4, 3),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(4 * 3 * 3, 8),
        nn.BatchNorm1d(8),
        nn.Dropout(0.1),
        nn.Tanh(),
        nn.Linear(8, 3),
    )
    heads = nn.ModuleDict({"a": nn.ModuleList([nn.Linear(3, 3), nn.Sigmoid()]), "b": nn.Identity()})
    handles = [
        model.register_forward_hook(lambda module, inputs, output: None),
        model[0].register_forward_pre_hook(lambda module, inputs: None),
    ]
    x = torch.randn(5, 1, 8, 8, generator=generator)
    target = torch.randint(0, 3, (5,), generator=generator)
    for _ in range(2):
        model.zero_grad()
        logits = model(x)
        loss = F.cross_entropy(logits, target) + F.mse_loss(heads["a"][1](heads["a"][0](logits)), torch.zeros(5, 3))
        loss.backward()
        with torch.no_grad():
            for parameter in model.parameters():
                parameter -= 0.1 * parameter.grad
    for handle in handles:
        handle.remove()

    buffer = io.BytesIO()
    torch.save({"model": model.state_dict(), "step": 1}, buffer)
    model.load_state_dict(torch.load(io.BytesIO(buffer.getvalue()), weights_only=True)["model"])
    model.eval()
    with torch.no_grad():
        model(x).argmax(dim=1).eq(target).float().mean().item()
    for collection in (model.named_modules(), model.named_children(), model.named_parameters(), model.named_buffers()):
        list(collection)
    for parameter in heads.parameters():
        parameter.requires_grad_(False)
        parameter.data.clone()
    torch.allclose(x, x)
    torch.equal(x, x)
    repr(model), repr(x)
