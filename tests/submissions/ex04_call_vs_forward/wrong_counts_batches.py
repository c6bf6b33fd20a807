# No hook at all: the number of batches returned as the count, which is wrong for a layer run twice per batch.
# status: failed
# fails: counts_layer_calls, hidden_counts
# message: You counted batches (or calls of the model), not calls of `module`
def count_calls(model, module, batches):
    outputs = [model(x) for x in batches]
    return outputs, len(outputs)
