# `calls += 1` in the hook without `nonlocal`: UnboundLocalError as soon as the hook fires.
# status: failed
# fails: all
# message: UnboundLocalError
# message: line 10 of your file
def count_calls(model, module, batches):
    calls = 0

    def hook(m, inputs, output):
        calls += 1

    handle = module.register_forward_hook(hook)
    try:
        outputs = [model(x) for x in batches]
    finally:
        handle.remove()
    return outputs, calls
