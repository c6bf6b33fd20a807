# key.startswith(old) without the dot: "fc" also renames "fc2"; load_checkpoint ignores the prefix argument.
# status: failed
# fails: remapped_hidden, tensors_loaded_hidden
# message: A key whose first module name only starts with an old name was renamed ('fc2' for the old name 'fc')
def remap_keys(state_dict, renames, prefix="module."):
    result = {}
    for key, value in state_dict.items():
        if key.startswith(prefix):
            key = key[len(prefix):]
        for old, new in renames.items():
            if key.startswith(old):
                key = new + key[len(old):]
                break
        result[key] = value
    return result


def load_checkpoint(model, checkpoint, renames, prefix="module."):
    model.load_state_dict(remap_keys(checkpoint, renames))
