# model.train() at the end, whatever the mode was: a model in evaluation mode comes back training,
# and so do the submodules that were in evaluation mode inside a training model.
# status: failed
# fails: eval_stays_eval, nested_modes_restored
# message: afterwards model.training is True; before the call it was False
# message: train() at the end does that whatever the mode was before
# message: afterwards every module of your model is in training mode
import torch


def predict(model, x):
    model.eval()
    try:
        with torch.no_grad():
            return model(x)
    finally:
        model.train()
