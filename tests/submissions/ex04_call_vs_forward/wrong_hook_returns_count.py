# The hook returns the running count: a forward hook's return value replaces the module's output.
# status: failed
# fails: outputs, counts_layer_calls, hidden_counts, hidden_outputs
# message: your output 0 is 1; the reference's is a tensor
# message: forward hook's return value replaces the module's output
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
