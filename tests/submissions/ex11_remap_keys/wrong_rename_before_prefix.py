# Renames first, then removes the prefix: while the key still starts with "module.", no old name
# is at its start, so nothing is renamed.
# status: failed
# fails: remapped, tensors_loaded, returns_nothing, gradients, strict_loading, remapped_hidden, tensors_loaded_hidden
# message: Keys that a rename applies to kept their old name
# message: 'module.encoder.0.weight' became 'encoder.0.weight'
# message: Missing key(s) in state_dict
def remap_keys(state_dict, renames, prefix="module."):
    result = {}
    for key, value in state_dict.items():
        for old, new in renames.items():
            if key == old or key.startswith(old + "."):
                key = new + key[len(old):]
                break
        result[key.removeprefix(prefix)] = value
    return result


def load_checkpoint(model, checkpoint, renames, prefix="module."):
    model.load_state_dict(remap_keys(checkpoint, renames, prefix))
