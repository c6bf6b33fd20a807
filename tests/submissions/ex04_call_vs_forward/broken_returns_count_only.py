# Returns only the count, not (outputs, count).
# status: failed
# fails: counts_model_calls, counts_layer_calls, outputs, gradients, removes_hook_on_error, count_again, hidden_counts, hidden_outputs, hidden_gradients
# message: yours returned 3; it should return a tuple (outputs, count)
def count_calls(model, module, batches):
    calls = []
    handle = module.register_forward_hook(lambda m, inputs, output: calls.append(1))
    for x in batches:
        model(x)
    handle.remove()
    return len(calls)
