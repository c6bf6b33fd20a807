# str.replace for the prefix and for the renames: right on the public model, wrong where a layer's
# name contains "module." or an old name ("fc2", "blocks.0.fc").
# status: failed
# fails: remapped_hidden, tensors_loaded_hidden
# message: The prefix was also removed from inside a key
# message: A module name further inside a key was renamed
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
