# The hook is removed after the loop, but not in a finally block: when the model raises, the
# removal never runs and the hook stays on the module.
# status: failed
# fails: removes_hook_on_error
# message: the model's RuntimeError reached the caller, but 1 hook of yours was still attached on `model.block`
# message: in a finally block
def count_calls(model, module, batches):
    calls = 0

    def hook(module, inputs, output):
        nonlocal calls
        calls += 1

    handle = module.register_forward_hook(hook)
    outputs = [model(x) for x in batches]
    handle.remove()
    return outputs, calls
