# Every key loses its first len(prefix) characters, also keys saved without DataParallel.
# status: failed
# fails: unprefixed
# message: remove the prefix only from keys that start with it
# message: 'encoder.0.weight' became '.0.weight'
def remap_keys(state_dict, renames, prefix="module."):
    result = {}
    for key, value in state_dict.items():
        key = key[len(prefix):]
        for old, new in renames.items():
            if key == old or key.startswith(old + "."):
                key = new + key[len(old):]
                break
        result[key] = value
    return result


def load_checkpoint(model, checkpoint, renames, prefix="module."):
    model.load_state_dict(remap_keys(checkpoint, renames, prefix))
