# Freezes the model after loading ("the pretrained weights should not move"): the caller can no
# longer train it.
# status: failed
# fails: gradients
# message: your output does not require grad, because none of your parameters does
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
    model.load_state_dict(remap_keys(checkpoint, renames, prefix))
    for param in model.parameters():
        param.requires_grad = False
