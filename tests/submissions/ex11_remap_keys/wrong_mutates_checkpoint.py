# remap_keys renames the caller's dict in place (pop and reassign) and returns it.
# status: failed
# fails: caller_dict_unchanged
# message: it now has the keys 'backbone.0.weight'
# message: leave the caller's alone
def remap_keys(state_dict, renames, prefix="module."):
    for key in list(state_dict):
        new_key = key.removeprefix(prefix)
        for old, new in renames.items():
            if new_key == old or new_key.startswith(old + "."):
                new_key = new + new_key[len(old):]
                break
        state_dict[new_key] = state_dict.pop(key)
    return state_dict


def load_checkpoint(model, checkpoint, renames, prefix="module."):
    model.load_state_dict(remap_keys(checkpoint, renames, prefix))
