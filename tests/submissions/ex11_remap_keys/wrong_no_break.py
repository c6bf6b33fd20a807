# Every rename is tried on the key in turn, without stopping at the first that matches: with
# renames that swap two names ({"a": "b", "b": "a"}) a key renamed by one is renamed back by the
# other. The public renames form no such chain.
# status: failed
# fails: remapped_hidden, tensors_loaded_hidden
# message: Some keys were renamed twice
# message: stop at the first that matches
def remap_keys(state_dict, renames, prefix="module."):
    result = {}
    for key, value in state_dict.items():
        key = key.removeprefix(prefix)
        for old, new in renames.items():
            if key == old or key.startswith(old + "."):
                key = new + key[len(old):]
        result[key] = value
    return result


def load_checkpoint(model, checkpoint, renames, prefix="module."):
    model.load_state_dict(remap_keys(checkpoint, renames, prefix))
