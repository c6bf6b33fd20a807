# Filters by key only: head.weight is in both with another shape, and load_state_dict raises a size mismatch.
# status: failed
# fails: filtered, backbone_loaded, head_kept, returns_loaded_keys, gradients, filtered_hidden, loaded_hidden
# message: filtering by key only is not enough
# message: (head.weight: the checkpoint's has shape (10, 16), the model's (18, 16).)
# message: size mismatch for head.weight
# message: even with strict=False
def compatible_tensors(model, state_dict):
    own = model.state_dict()
    return {key: tensor for key, tensor in state_dict.items() if key in own}


def load_pretrained(model, state_dict):
    compatible = compatible_tensors(model, state_dict)
    model.load_state_dict(compatible, strict=False)
    return sorted(compatible)
