# The hook registered on model instead of module: counts calls of the whole model.
# status: failed
# fails: counts_layer_calls, hidden_counts
# message: you counted calls of the model (or batches), not calls of `module`
def count_calls(model, module, batches):
    calls = [0]

    def hook(m, inputs, output):
        calls[0] += 1

    handle = model.register_forward_hook(hook)
    try:
        outputs = [model(x) for x in batches]
    finally:
        handle.remove()
    return outputs, calls[0]
