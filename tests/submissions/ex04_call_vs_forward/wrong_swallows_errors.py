# The loop is wrapped in try/except "so that one bad batch does not crash everything": the hook is
# removed, but the model's error never reaches the caller, who gets fewer outputs than batches.
# status: failed
# fails: removes_hook_on_error
# message: your count_calls returned normally; the reference's lets the model's RuntimeError reach its caller
# message: do not catch the model's error
def count_calls(model, module, batches):
    calls = [0]

    def hook(module, inputs, output):
        calls[0] += 1

    handle = module.register_forward_hook(hook)
    outputs = []
    try:
        for x in batches:
            outputs.append(model(x))
    except Exception as error:
        print("a batch failed:", error)
    finally:
        handle.remove()
    return outputs, calls[0]
