# load_checkpoint loads the raw checkpoint with strict=False: no key matches, nothing loads, nothing complains.
# status: failed
# fails: tensors_loaded, strict_loading, tensors_loaded_hidden, strict_loading_hidden
# message: 0 of 9 tensors loaded
# message: Still at their initial values: 'backbone.0.weight'
# message: with a dict that lacks 9 of the model's keys (such as 'backbone.0.weight'): strict=False skipped them
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
    model.load_state_dict(checkpoint, strict=False)
