# No hook at all: the number of batches returned as the count, which is wrong for a layer run twice per batch.
# status: failed
# fails: counts_layer_calls, hidden_counts
# message: you counted calls of the model (or batches), not calls of `module`
def count_calls(model, module, batches):
    outputs = [model(x) for x in batches]
    return outputs, len(outputs)
