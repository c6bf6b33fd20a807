# torch.save(model) of the whole model, as many tutorials show; the optimizer and the step are not saved.
# status: failed
# fails: loads_safely, file_layout, model_restored, step_restored, optimizer_restored, refuses_pickles, resumes_identically, hidden_restores, hidden_resume
# message: it holds a pickled torch.nn.modules.container.Sequential object
import torch


def save_checkpoint(path, model, optimizer, step):
    torch.save(model, path)


def load_checkpoint(path, model, optimizer):
    saved = torch.load(path, weights_only=False)
    model.load_state_dict(saved.state_dict())
    return 0
