# A different but correct solution: copy_ into the model's own tensors under no_grad, the keys
# gathered in a loop.
# status: passed
# fails: none
import torch


def compatible_tensors(model, state_dict):
    shapes = {key: value.shape for key, value in model.state_dict().items()}
    return {key: value for key, value in state_dict.items() if shapes.get(key) == value.shape}


def load_pretrained(model, state_dict):
    own = model.state_dict()  # these tensors share memory with the model's parameters and buffers
    loaded = []
    with torch.no_grad():
        for key, value in compatible_tensors(model, state_dict).items():
            own[key].copy_(value)
            loaded.append(key)
    return sorted(loaded)
