# The model and optimizer objects are pickled whole and read back with weights_only=False: the file cannot be
# loaded safely, and load_checkpoint cannot read a checkpoint of state_dicts.
# status: failed
# fails: loads_safely, file_layout, model_restored, step_restored, optimizer_restored, refuses_pickles, hidden_restores, hidden_resume
# message: it holds a pickled torch.nn.modules.container.Sequential object
# message: Save state_dicts, not objects
# message: is already a state_dict
import torch


def save_checkpoint(path, model, optimizer, step):
    torch.save({"model": model, "optimizer": optimizer, "step": step}, path)


def load_checkpoint(path, model, optimizer):
    checkpoint = torch.load(path, weights_only=False)
    model.load_state_dict(checkpoint["model"].state_dict())
    optimizer.load_state_dict(checkpoint["optimizer"].state_dict())
    return checkpoint["step"]
