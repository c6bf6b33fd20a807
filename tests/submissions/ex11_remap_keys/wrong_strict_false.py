# Keys remapped right, but loaded with strict=False: a checkpoint that does not fit is half-loaded in silence.
# status: failed
# fails: strict_loading, strict_loading_hidden
# message: yours returned without an error; the reference raises RuntimeError
# message: Your load_checkpoint called model.load_state_dict(..., strict=False)
def remap_keys(state_dict, renames, prefix="module."):
    result = {}
    for key, value in state_dict.items():
        key = key.removeprefix(prefix)
        for old, new in renames.items():
            if key == old or key.startswith(old + "."):
                key = new + key[len(old):]
                break
        result[key] = value
    return result


def load_checkpoint(model, checkpoint, renames, prefix="module."):
    model.load_state_dict(remap_keys(checkpoint, renames, prefix), strict=False)
