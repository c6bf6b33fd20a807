# str.replace for the prefix and the renames: right on the public model, wrong where a name contains another.
# status: failed
# fails: remapped_hidden, tensors_loaded_hidden
# message: your keys differ from the reference's
def remap_keys(state_dict, renames, prefix="module."):
    result = {}
    for key, value in state_dict.items():
        key = key.replace(prefix, "")
        for old, new in renames.items():
            key = key.replace(old, new)
        result[key] = value
    return result


def load_checkpoint(model, checkpoint, renames, prefix="module."):
    model.load_state_dict(remap_keys(checkpoint, renames, prefix))
