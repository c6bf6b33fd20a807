# remap_keys is right, but load_checkpoint does not hand its prefix on, so remap_keys always
# strips "module.": only a checkpoint with another prefix shows it.
# status: failed
# fails: tensors_loaded_hidden
# message: with other renames and a prefix other than `module.`
# message: `model.load_state_dict(remap_keys(checkpoint, renames))`
# message: the keys still differ from the model's
def remap_keys(state_dict, renames, prefix="module."):
    remapped = {}
    for key, tensor in state_dict.items():
        key = key.removeprefix(prefix)
        for old, new in renames.items():
            if key == old or key.startswith(old + "."):
                key = new + key[len(old):]
                break
        remapped[key] = tensor
    return remapped


def load_checkpoint(model, checkpoint, renames, prefix="module."):
    model.load_state_dict(remap_keys(checkpoint, renames))
