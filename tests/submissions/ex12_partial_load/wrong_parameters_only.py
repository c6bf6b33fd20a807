# Filters against named_parameters(): batch norm's running statistics (buffers) are never loaded.
# status: failed
# fails: filtered, backbone_loaded, returns_loaded_keys, filtered_hidden, loaded_hidden
# message: keys only in the reference's: 'backbone.1.running_mean'
# message: Still at their initial values: 'backbone.1.running_mean'
# message: in model.state_dict() but not in named_parameters()
def compatible_tensors(model, state_dict):
    params = dict(model.named_parameters())
    return {key: tensor for key, tensor in state_dict.items() if key in params and params[key].shape == tensor.shape}


def load_pretrained(model, state_dict):
    compatible = compatible_tensors(model, state_dict)
    model.load_state_dict(compatible, strict=False)
    return sorted(compatible)
