# A different but correct solution: a loop that filters, then the model's own state_dict updated and loaded strictly.
# status: passed
# fails: none
def compatible_tensors(model, state_dict):
    own = model.state_dict()
    kept = {}
    for key, tensor in state_dict.items():
        if key not in own:
            continue
        if tuple(own[key].shape) != tuple(tensor.shape):
            print(f"skipping {key}: {tuple(tensor.shape)} in the checkpoint, {tuple(own[key].shape)} in the model")
            continue
        kept[key] = tensor
    return kept


def load_pretrained(model, state_dict):
    kept = compatible_tensors(model, state_dict)
    own = model.state_dict()
    own.update(kept)
    model.load_state_dict(own)
    return sorted(kept.keys())
