# Returns what load_state_dict returns, the lists of missing and unexpected keys; the assignment
# says load_checkpoint returns nothing.
# status: failed
# fails: returns_nothing
# message: yours returned a torch.nn.modules.module._IncompatibleKeys
# message: That is what model.load_state_dict returns
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
    return model.load_state_dict(remap_keys(checkpoint, renames, prefix))
