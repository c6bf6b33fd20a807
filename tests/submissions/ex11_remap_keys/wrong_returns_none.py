# remap_keys builds the dict but forgets to return it; load_checkpoint then loads None.
# status: failed
# fails: remapped, unprefixed, tensors_loaded, returns_nothing, gradients, strict_loading, remapped_hidden, tensors_loaded_hidden
# message: yours returned None; the reference returns a dict
# message: A function without `return` gives None
def remap_keys(state_dict, renames, prefix="module."):
    result = {}
    for key, value in state_dict.items():
        key = key.removeprefix(prefix)
        for old, new in renames.items():
            if key == old or key.startswith(old + "."):
                key = new + key[len(old):]
                break
        result[key] = value


def load_checkpoint(model, checkpoint, renames, prefix="module."):
    model.load_state_dict(remap_keys(checkpoint, renames, prefix))
