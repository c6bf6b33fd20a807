# Removes its hook by clearing module._forward_hooks: the hook somebody else registered is gone too.
# status: failed
# fails: removes_hook, removes_hook_on_error
# message: count_calls removed a hook that was not its own
# message: not with `_forward_hooks.clear()`
def count_calls(model, module, batches):
    calls = []
    module.register_forward_hook(lambda m, inputs, output: calls.append(1))
    outputs = [model(x) for x in batches]
    module._forward_hooks.clear()
    return outputs, len(calls)
