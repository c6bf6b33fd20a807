# Filters right, then loads strictly: the new head's keys are missing from the filtered dict, so loading raises.
# status: failed
# fails: backbone_loaded, head_kept, returns_loaded_keys, gradients, loaded_hidden
# message: Missing key(s) in state_dict
# message: load it with strict=False
def compatible_tensors(model, state_dict):
    own = model.state_dict()
    return {key: tensor for key, tensor in state_dict.items() if key in own and own[key].shape == tensor.shape}


def load_pretrained(model, state_dict):
    compatible = compatible_tensors(model, state_dict)
    model.load_state_dict(compatible)
    return sorted(compatible)
