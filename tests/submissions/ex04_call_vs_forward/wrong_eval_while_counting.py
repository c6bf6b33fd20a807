# "Counting is inference": the model is switched to eval() for the run and put back in its mode
# afterwards. Harmless for a model without dropout or batch norm, as in the example; a model with
# batch norm computes otherwise in eval() mode than its caller asked for.
# status: failed
# fails: hidden_outputs, hidden_gradients
# message: count_calls on a hidden model, counting a module nested in a Sequential inside a ModuleDict, which returns a tuple: your values differ from the reference's
# message: During count_calls the model ran in eval() mode; its caller had put it in train() mode
def count_calls(model, module, batches):
    calls = 0

    def hook(module, inputs, output):
        nonlocal calls
        calls += 1

    was_training = model.training
    model.eval()
    handle = module.register_forward_hook(hook)
    try:
        outputs = [model(x) for x in batches]
    finally:
        handle.remove()
        model.train(was_training)
    return outputs, calls
