# The prefix is written out as "module." instead of using the argument: right for DataParallel
# checkpoints, wrong for any other prefix (torch.compile's "_orig_mod.", say).
# status: failed
# fails: remapped_hidden, tensors_loaded_hidden
# message: Your keys still start with the prefix we passed, which was not `module.`
def remap_keys(state_dict, renames, prefix="module."):
    new_state = {}
    for key, tensor in state_dict.items():
        if key.startswith("module."):
            key = key[len("module."):]
        for old, new in renames.items():
            if key == old or key.startswith(old + "."):
                key = new + key[len(old):]
                break
        new_state[key] = tensor
    return new_state


def load_checkpoint(model, checkpoint, renames, prefix="module."):
    model.load_state_dict(remap_keys(checkpoint, renames, prefix))
