# Skips a whole layer when one of its tensors does not fit: right for the public head (both its
# tensors differ), wrong for a layer whose input size changed, whose bias still fits.
# status: failed
# fails: filtered_hidden, loaded_hidden
# message: A tensor that fits was left out because another tensor of its layer does not fit
def compatible_tensors(model, state_dict):
    own = model.state_dict()
    misfits = {key.rsplit(".", 1)[0] for key, tensor in state_dict.items() if key in own and own[key].shape != tensor.shape}
    return {
        key: tensor
        for key, tensor in state_dict.items()
        if key in own and key.rsplit(".", 1)[0] not in misfits
    }


def load_pretrained(model, state_dict):
    compatible = compatible_tensors(model, state_dict)
    model.load_state_dict(compatible, strict=False)
    return sorted(compatible)
