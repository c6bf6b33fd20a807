# A different but correct solution: the shared keys from a set intersection, shapes compared
# with .size(), and the result of load_state_dict checked.
# status: passed
# fails: none
def compatible_tensors(model, state_dict):
    own = model.state_dict()
    shared = state_dict.keys() & own.keys()
    return {key: state_dict[key] for key in state_dict if key in shared and state_dict[key].size() == own[key].size()}


def load_pretrained(model, state_dict):
    fits = compatible_tensors(model, state_dict)
    result = model.load_state_dict(fits, strict=False)
    assert not result.unexpected_keys
    return sorted(key for key in fits)
