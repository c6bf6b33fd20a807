# load_checkpoint restores the optimizer and returns the step, but never loads the model's weights.
# status: failed
# fails: model_restored, resumes_identically, hidden_restores, hidden_resume
# message: nothing was loaded into it
# message: The model did not get its saved state back
# message: nothing was loaded into it. Hint: A model's state_dict() holds every parameter and every buffer
import torch


def save_checkpoint(path, model, optimizer, step):
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "step": step}, path)


def load_checkpoint(path, model, optimizer):
    checkpoint = torch.load(path, weights_only=True)
    optimizer.load_state_dict(checkpoint["optimizer"])
    return checkpoint["step"]
