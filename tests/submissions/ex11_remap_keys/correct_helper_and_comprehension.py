# A different but correct solution: a helper that finds the matching old name with next() over
# a generator, a dict comprehension, and strict=True written out.
# status: passed
# fails: none
def _new_name(key, renames):
    old = next((old for old in renames if key == old or key.startswith(f"{old}.")), None)
    if old is None:
        return key
    return renames[old] + key[len(old):]


def remap_keys(state_dict, renames, prefix="module."):
    return {
        _new_name(key[len(prefix):] if key.startswith(prefix) else key, renames): tensor
        for key, tensor in state_dict.items()
    }


def load_checkpoint(model, checkpoint, renames, prefix="module."):
    missing, unexpected = model.load_state_dict(remap_keys(checkpoint, renames, prefix), strict=True)
    assert not missing and not unexpected
