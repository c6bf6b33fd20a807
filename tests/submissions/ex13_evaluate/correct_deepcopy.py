# A different but correct solution: a deep copy of the model is put in evaluation mode and run,
# so the caller's model is never touched; the grad mode is switched off and back by hand.
# status: passed
# fails: none
import copy

import torch


def predict(model, x):
    frozen_copy = copy.deepcopy(model).eval()
    enabled = torch.is_grad_enabled()
    torch.set_grad_enabled(False)
    try:
        return frozen_copy(x)
    finally:
        torch.set_grad_enabled(enabled)
