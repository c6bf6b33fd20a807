# The tutorial habit: load, then model.eval(). Batch norm then uses its running statistics, and
# the caller who was about to train gets a model in eval mode.
# status: failed
# fails: gradients
# message: the modules of your model in eval mode (training=False) are: the model itself, 'backbone'
# message: leave model.eval() to the code that evaluates
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
    model.eval()
