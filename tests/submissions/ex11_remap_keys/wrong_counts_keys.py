# "Strict" by counting: raises when the number of keys differs, then loads with strict=False. A
# checkpoint with one key missing and another unexpected has as many keys as the model and loads
# half in silence.
# status: failed
# fails: strict_loading_hidden
# message: yours returned without an error; the reference raises RuntimeError
# message: strict=False
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
    state = remap_keys(checkpoint, renames, prefix)
    if len(state) != len(model.state_dict()):
        raise ValueError(f"checkpoint has {len(state)} tensors, the model {len(model.state_dict())}")
    model.load_state_dict(state, strict=False)
