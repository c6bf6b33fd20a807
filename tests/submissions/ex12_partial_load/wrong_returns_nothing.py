# load_pretrained loads right but returns nothing.
# status: failed
# fails: returns_loaded_keys, loaded_hidden
# message: yours returned None
# message: A function without `return` gives None
def compatible_tensors(model, state_dict):
    own = model.state_dict()
    return {key: tensor for key, tensor in state_dict.items() if key in own and own[key].shape == tensor.shape}


def load_pretrained(model, state_dict):
    model.load_state_dict(compatible_tensors(model, state_dict), strict=False)
