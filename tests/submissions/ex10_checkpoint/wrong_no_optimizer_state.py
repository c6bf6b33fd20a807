# Only the model's weights and the step are saved: resumed training restarts Adam from zero.
# status: failed
# fails: file_layout, optimizer_restored, resumes_identically, hidden_restores, hidden_resume
# message: your checkpoint holds no optimizer state
# message: the optimizer is as fresh as it was built
import torch


def save_checkpoint(path, model, optimizer, step):
    torch.save({"model": model.state_dict(), "step": step}, path)


def load_checkpoint(path, model, optimizer):
    checkpoint = torch.load(path, weights_only=True)
    model.load_state_dict(checkpoint["model"])
    return checkpoint["step"]
