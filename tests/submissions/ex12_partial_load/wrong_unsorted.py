# Returns the loaded keys in the checkpoint's order: the assignment asks for them sorted.
# status: failed
# fails: returns_loaded_keys, loaded_hidden
# message: but not sorted: at position 0 yours has 'backbone.0.weight', the reference's 'backbone.0.bias'
def compatible_tensors(model, state_dict):
    own = model.state_dict()
    return {key: tensor for key, tensor in state_dict.items() if key in own and own[key].shape == tensor.shape}


def load_pretrained(model, state_dict):
    compatible = compatible_tensors(model, state_dict)
    model.load_state_dict(compatible, strict=False)
    return list(compatible)
