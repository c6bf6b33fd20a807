# The lecture's debugging hook adapted: it keeps each output's shape and counts them. Fine for a
# layer that returns a tensor, as in the example; a module that returns a tuple has no .shape.
# status: failed
# fails: hidden_counts, hidden_outputs, hidden_gradients
# message: your code raised AttributeError (line 10 of your file: `shapes.append(tuple(output.shape))`)
def count_calls(model, module, batches):
    shapes = []

    def hook(module, inputs, output):
        shapes.append(tuple(output.shape))

    handle = module.register_forward_hook(hook)
    try:
        outputs = [model(x) for x in batches]
    finally:
        handle.remove()
    return outputs, len(shapes)
