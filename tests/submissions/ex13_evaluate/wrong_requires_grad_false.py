# The lecture's suggestion: requires_grad=False on every parameter instead of no_grad(); the model stays frozen.
# status: failed
# fails: no_graph, grad_state_unchanged, mode_restored_on_error, nested_flags_unchanged, output_hidden
# message: the parameters did not require grad while it ran
# message: as the lecture suggests
# message: fc1.weight, fc1.bias, bn.weight, bn.bias, fc2.weight, fc2.bias have requires_grad=False
def predict(model, x):
    modes = [(module, module.training) for module in model.modules()]
    model.eval()
    for parameter in model.parameters():
        parameter.requires_grad = False
    try:
        return model(x)
    finally:
        for module, training in modes:
            module.training = training
