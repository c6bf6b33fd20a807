# Deletes what does not fit from the dict it was given and returns that dict: the caller's
# checkpoint loses its head and aux.
# status: failed
# fails: caller_dict_unchanged
# message: then looked at the dict we passed in: it now has the keys
# message: `del`, `pop` or assigning to the dict you were given changes the caller's checkpoint
def compatible_tensors(model, state_dict):
    own = model.state_dict()
    for key in list(state_dict):
        if key not in own or own[key].shape != state_dict[key].shape:
            del state_dict[key]
    return state_dict


def load_pretrained(model, state_dict):
    compatible = compatible_tensors(model, dict(state_dict))
    model.load_state_dict(compatible, strict=False)
    return sorted(compatible)
