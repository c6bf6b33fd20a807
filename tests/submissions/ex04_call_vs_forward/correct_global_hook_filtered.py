# A different but correct solution: a global forward hook (register_module_forward_hook) that
# sees every module's calls and counts those of `module` only, removed by its handle.
# status: passed
# fails: none
from torch.nn.modules.module import register_module_forward_hook


def count_calls(model, module, batches):
    calls = {"n": 0}

    def hook(ran, inputs, output):
        if ran is module:
            calls["n"] += 1

    handle = register_module_forward_hook(hook)
    try:
        outputs = [model(batch) for batch in batches]
    finally:
        handle.remove()
    return outputs, calls["n"]
