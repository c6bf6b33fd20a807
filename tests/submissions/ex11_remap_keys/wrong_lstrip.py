# str.lstrip("module.") strips characters, not a prefix: "module.encoder..." becomes "ncoder...",
# so the keys fit nowhere and loading raises.
# status: failed
# fails: remapped, unprefixed, tensors_loaded, returns_nothing, gradients, strict_loading, remapped_hidden, tensors_loaded_hidden
# message: removes every leading character that occurs in it
# message: 'module.encoder.0.weight' became 'ncoder.0.weight'
# message: Missing key(s) in state_dict
def remap_keys(state_dict, renames, prefix="module."):
    result = {}
    for key, value in state_dict.items():
        key = key.lstrip(prefix)
        for old, new in renames.items():
            if key == old or key.startswith(old + "."):
                key = new + key[len(old):]
                break
        result[key] = value
    return result


def load_checkpoint(model, checkpoint, renames, prefix="module."):
    model.load_state_dict(remap_keys(checkpoint, renames, prefix))
