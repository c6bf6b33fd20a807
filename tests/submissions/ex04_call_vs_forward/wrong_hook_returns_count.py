# The hook returns the running count: a forward hook's return value replaces the module's output.
# status: failed
# fails: counts_layer_calls, outputs, gradients, removes_hook_on_error, hidden_counts, hidden_outputs, hidden_gradients
# message: your output 0 is 1; the reference's is a tensor
# message: a hook replaced its output
# message: Your hook returns a value
def count_calls(model, module, batches):
    calls = 0

    def hook(m, inputs, output):
        nonlocal calls
        calls += 1
        return calls

    handle = module.register_forward_hook(hook)
    try:
        outputs = [model(x) for x in batches]
    finally:
        handle.remove()
    return outputs, calls
