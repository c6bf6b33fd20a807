# A module-level counter and hooks never removed: every call's count includes all earlier calls.
# status: failed
# fails: counts_layer_calls, removes_hook, count_again, hidden_counts
# message: Your count carries over from earlier calls
# message: Your count includes calls from earlier
# message: still attached
calls = []


def count_calls(model, module, batches):
    module.register_forward_hook(lambda m, inputs, output: calls.append(m))
    outputs = [model(x) for x in batches]
    return outputs, len(calls)
