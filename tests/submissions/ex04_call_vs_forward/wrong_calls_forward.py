# model.forward(x) instead of model(x): no hook on the model fires, neither the student's nor anybody else's.
# status: failed
# fails: counts_model_calls, runs_existing_hooks, removes_hook_on_error, count_again, hidden_counts
# message: The hook already on the model never fired either
# message: fired 0 times with your code; 3 times with the reference's
# message: model.forward(x) runs forward without any hook
def count_calls(model, module, batches):
    calls = []
    handle = module.register_forward_hook(lambda m, inputs, output: calls.append(1))
    outputs = [model.forward(x) for x in batches]
    handle.remove()
    return outputs, len(calls)
