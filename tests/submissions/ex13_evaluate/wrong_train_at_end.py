# model.train() at the end, whatever the mode was: a model in evaluation mode comes back training.
# status: failed
# fails: eval_stays_eval
# message: afterwards model.training is True
# message: `model.train()` at the end switches every model to training mode
import torch


def predict(model, x):
    model.eval()
    try:
        with torch.no_grad():
            return model(x)
    finally:
        model.train()
