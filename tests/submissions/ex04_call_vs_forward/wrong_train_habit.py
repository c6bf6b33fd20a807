# model.train() first, out of the habit of training loops: harmless for a model already in train()
# mode, as in the example, but a model its caller put in eval() mode runs, and stays, in train().
# status: failed
# fails: hidden_outputs, hidden_leaves_mode
# message: After count_calls on a hidden model in eval() mode, counting a module nested in a Sequential inside a ModuleDict, some of your model's modules are in another mode
# message: Do not call train() or eval() in count_calls
# message: During count_calls the model ran in train() mode; its caller had put it in eval() mode
def count_calls(model, module, batches):
    model.train()
    calls = 0

    def hook(module, inputs, output):
        nonlocal calls
        calls += 1

    handle = module.register_forward_hook(hook)
    try:
        outputs = [model(x) for x in batches]
    finally:
        handle.remove()
    return outputs, calls
