# Freezes what it loaded ("pretrained weights stay fixed"): the assignment's loading changes
# values only, and freezing is a separate decision.
# status: failed
# fails: gradients
# message: `backbone.0.weight` has requires_grad=False; the reference's has requires_grad=True
def compatible_tensors(model, state_dict):
    own = model.state_dict()
    return {key: tensor for key, tensor in state_dict.items() if key in own and own[key].shape == tensor.shape}


def load_pretrained(model, state_dict):
    compatible = compatible_tensors(model, state_dict)
    model.load_state_dict(compatible, strict=False)
    for name, param in model.named_parameters():
        if name in compatible:
            param.requires_grad = False
    return sorted(compatible)
