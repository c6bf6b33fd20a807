# The lecture's suggestion: requires_grad=False on every parameter instead of no_grad(); the model stays frozen.
# status: failed
# fails: no_graph, grad_state_unchanged
# message: the parameters did not require grad while it ran
# message: as the lecture suggests
# message: have requires_grad=False
def predict(model, x):
    was_training = model.training
    model.eval()
    for parameter in model.parameters():
        parameter.requires_grad = False
    try:
        return model(x)
    finally:
        model.train(was_training)
