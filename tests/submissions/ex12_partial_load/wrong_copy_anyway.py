# Copies every tensor whose name matches with `.data =`, the 10-class head included, replacing the new head.
# status: failed
# fails: head_kept, returns_loaded_keys, gradients, loaded_hidden
# message: afterwards your model's head.weight has shape (10, 16); it must keep its shape (18, 16)
# message: the checkpoint's tensor was copied in anyway
# message: your model's head.weight has shape (10, 16), not (18, 16): model(x) cannot run
def compatible_tensors(model, state_dict):
    own = model.state_dict()
    return {key: tensor for key, tensor in state_dict.items() if key in own and own[key].shape == tensor.shape}


def load_pretrained(model, state_dict):
    tensors = dict(model.named_parameters())
    tensors.update(model.named_buffers())
    copied = []
    for key, value in state_dict.items():
        if key in tensors:
            tensors[key].data = value.clone()
            copied.append(key)
    return sorted(copied)
