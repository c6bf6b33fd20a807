# Goes through the model's keys and looks each up in the checkpoint: right while the checkpoint
# has every key of the model, a KeyError for a model with a layer the checkpoint lacks.
# status: failed
# fails: filtered_hidden, loaded_hidden
# message: raised KeyError
# message: The model may have layers the checkpoint lacks
def compatible_tensors(model, state_dict):
    own = model.state_dict()
    return {key: state_dict[key] for key, mine in own.items() if state_dict[key].shape == mine.shape}


def load_pretrained(model, state_dict):
    compatible = compatible_tensors(model, state_dict)
    model.load_state_dict(compatible, strict=False)
    return sorted(compatible)
