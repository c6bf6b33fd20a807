# Returns every key of the model, the new head's too, instead of the keys it loaded.
# status: failed
# fails: returns_loaded_keys, loaded_hidden
# message: keys only in your list: 'head.bias', 'head.weight'; keys only in the reference's: none
def compatible_tensors(model, state_dict):
    own = model.state_dict()
    return {key: tensor for key, tensor in state_dict.items() if key in own and own[key].shape == tensor.shape}


def load_pretrained(model, state_dict):
    model.load_state_dict(compatible_tensors(model, state_dict), strict=False)
    return sorted(model.state_dict().keys())
