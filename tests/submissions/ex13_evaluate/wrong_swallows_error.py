# The model's error is caught and printed, and predict returns None: the mode comes back, but the
# caller never learns that the prediction failed.
# status: failed
# fails: mode_restored_on_error
# message: your predict returned normally, so the caller never learns that the model raised
import torch


def predict(model, x):
    modes = [(module, module.training) for module in model.modules()]
    model.eval()
    try:
        with torch.no_grad():
            return model(x)
    except Exception as error:
        print("prediction failed:", error)
        return None
    finally:
        for module, training in modes:
            module.training = training
