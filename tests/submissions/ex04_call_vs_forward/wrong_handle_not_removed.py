# The hook is never removed: it stays on the module after count_calls returns (and keeps firing, uncounted).
# status: failed
# fails: removes_hook, removes_hook_on_error
# message: 1 hook of yours was still attached on `model` after count_calls returned
# message: call its remove() in a finally block
def count_calls(model, module, batches):
    calls = 0

    def hook(module, inputs, output):
        nonlocal calls
        calls += 1

    module.register_forward_hook(hook)
    outputs = [model(x) for x in batches]
    return outputs, calls
