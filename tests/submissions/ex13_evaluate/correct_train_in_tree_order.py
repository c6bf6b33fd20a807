# A different but correct solution: the modes noted in a loop, given back with train(mode) in the
# order modules() visits them (parents before children, so each child's own call comes last).
# status: passed
# fails: none
import torch


def predict(model, x):
    modules = list(model.modules())
    modes = []
    for module in modules:
        modes.append(module.training)
    model.eval()
    try:
        with torch.inference_mode():
            y = model(x)
    finally:
        for module, mode in zip(modules, modes):
            module.train(mode)
    return y
