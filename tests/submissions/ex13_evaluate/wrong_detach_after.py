# The graph is built, then the output detached: it looks right but autograd did the work anyway.
# status: failed
# fails: no_graph, mode_restored_on_error
# message: you detached the result afterwards
def predict(model, x):
    was_training = model.training
    model.eval()
    output = model(x).detach()
    model.train(was_training)
    return output
