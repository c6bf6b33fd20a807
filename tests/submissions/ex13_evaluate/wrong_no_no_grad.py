# eval() and every mode given back, but no no_grad(): the output requires grad and has a grad_fn.
# status: failed
# fails: no_graph, output_hidden
# message: your output requires grad (its grad_fn is AddmmBackward0)
# message: eval() alone does not turn gradients off
# message: your output requires grad, as x does
def predict(model, x):
    modes = {module: module.training for module in model.modules()}
    model.eval()
    try:
        return model(x)
    finally:
        for module, training in modes.items():
            module.training = training
