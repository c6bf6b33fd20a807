# "Same size" read as the same number of values: right on the public model, where every tensor
# that does not fit also has another size, wrong for a weight of shape (a, b) against (b, a).
# status: failed
# fails: filtered_hidden, loaded_hidden
# message: A tensor with as many values as the model's but another shape was kept: compare shapes, not sizes
# message: raises on it even with strict=False
def compatible_tensors(model, state_dict):
    own = model.state_dict()
    return {key: tensor for key, tensor in state_dict.items() if key in own and own[key].numel() == tensor.numel()}


def load_pretrained(model, state_dict):
    compatible = compatible_tensors(model, state_dict)
    model.load_state_dict(compatible, strict=False)
    return sorted(compatible)
