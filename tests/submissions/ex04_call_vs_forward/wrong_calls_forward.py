# model.forward(x) instead of model(x): no hook on the model fires, neither the student's nor anybody else's.
# status: failed
# fails: counts_model_calls, runs_existing_hooks, count_again, hidden_counts
# message: Your hook never fired. Did you call `model.forward(x)`?
# message: fired 0 times with your code; 3 times with the reference's
def count_calls(model, module, batches):
    calls = []
    handle = module.register_forward_hook(lambda m, inputs, output: calls.append(1))
    outputs = [model.forward(x) for x in batches]
    handle.remove()
    return outputs, len(calls)
