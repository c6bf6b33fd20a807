# Looks the key's first module name up in renames: quick, and right for "encoder" and "fc", but
# an old name with a dot in it ("encoder.0") never matches.
# status: failed
# fails: remapped_hidden, tensors_loaded_hidden
# message: Keys whose old name has a dot in it (like 'encoder.0') kept their old name
def remap_keys(state_dict, renames, prefix="module."):
    out = {}
    for key, value in state_dict.items():
        key = key.removeprefix(prefix)
        first, dot, rest = key.partition(".")
        if first in renames:
            key = renames[first] + dot + rest
        out[key] = value
    return out


def load_checkpoint(model, checkpoint, renames, prefix="module."):
    model.load_state_dict(remap_keys(checkpoint, renames, prefix))
