# eval() and the mode restored, but no no_grad(): the output requires grad and has a grad_fn.
# status: failed
# fails: no_graph
# message: your output requires grad (its grad_fn is AddmmBackward0)
# message: model.eval() alone does not turn gradients off
def predict(model, x):
    was_training = model.training
    model.eval()
    try:
        return model(x)
    finally:
        model.train(was_training)
