# "state_dict = parameters + buffers": right on the public model, but named_parameters() lists a
# module registered under two names only once, so its second name is never kept.
# status: failed
# fails: filtered_hidden, loaded_hidden
# message: named_parameters() only under the first
def compatible_tensors(model, state_dict):
    own = dict(model.named_parameters())
    own.update(model.named_buffers())
    return {key: tensor for key, tensor in state_dict.items() if key in own and own[key].shape == tensor.shape}


def load_pretrained(model, state_dict):
    compatible = compatible_tensors(model, state_dict)
    model.load_state_dict(compatible, strict=False)
    return sorted(compatible)
