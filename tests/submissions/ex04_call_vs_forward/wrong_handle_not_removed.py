# The hook is never removed: it stays on the module after count_calls returns (and keeps firing, uncounted).
# status: failed
# fails: removes_hook
# message: 1 hook of yours was still attached to `model` after count_calls returned
# message: call handle.remove()
def count_calls(model, module, batches):
    calls = 0

    def hook(module, inputs, output):
        nonlocal calls
        calls += 1

    module.register_forward_hook(hook)
    outputs = [model(x) for x in batches]
    return outputs, calls
