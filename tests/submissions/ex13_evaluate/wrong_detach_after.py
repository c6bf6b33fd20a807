# The graph is built, then the output detached: it looks right, but autograd did the work anyway.
# status: failed
# fails: no_graph
# message: the model's output required grad, so the graph was built, and you detached the result afterwards
# message: Run the forward pass inside a torch.no_grad() block
def predict(model, x):
    modes = [(module, module.training) for module in model.modules()]
    model.eval()
    try:
        return model(x).detach()
    finally:
        for module, training in modes:
            module.training = training
