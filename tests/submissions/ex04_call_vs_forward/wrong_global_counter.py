# A module-level counter and hooks never removed: every call's count includes all earlier calls.
# status: failed
# fails: counts_layer_calls, removes_hook, removes_hook_on_error, count_again, hidden_counts
# message: so your count includes calls from before this call of count_calls
# message: was still attached on `model`
calls = []


def count_calls(model, module, batches):
    module.register_forward_hook(lambda m, inputs, output: calls.append(m))
    outputs = [model(x) for x in batches]
    return outputs, len(calls)
