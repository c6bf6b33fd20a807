# Skips the head by its name ("head.") instead of by shape: right on the public model only.
# status: failed
# fails: filtered_hidden, loaded_hidden
# message: Your filter is right on the public model, where the tensors that do not fit are the head's
# message: raises on it even with strict=False
def compatible_tensors(model, state_dict):
    own = model.state_dict()
    return {key: tensor for key, tensor in state_dict.items() if key in own and not key.startswith("head.")}


def load_pretrained(model, state_dict):
    compatible = compatible_tensors(model, state_dict)
    model.load_state_dict(compatible, strict=False)
    return sorted(compatible)
